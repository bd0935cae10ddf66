package org.boml.plugins.nascells;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * A network of DARTS normal cells as a pure function of its parameters, either the continuous
 * relaxation of the search space or a discrete cell ({@link Genotype}).
 *
 * <p>Layout: a stem ({@code 3x3} convolution to {@code C} channels, batch normalization), {@code
 * cells} cells, global average pooling and a linear head. Cell {@code k} reads the outputs {@code
 * s0, s1} of the two previous cells (the stem's output for the missing ones), maps each to {@code
 * C} channels by ReLU, {@code 1x1} convolution and batch normalization, and computes intermediate
 * node {@code i} as a sum over edges from earlier states: in the search space every earlier state
 * feeds node {@code i} through the mixed operation
 *
 * <pre>
 *   o_e(h) = sum_o softmax(alpha_e)_o op_o(h),
 * </pre>
 *
 * with one row {@code alpha_e} of logits per edge over all {@link Operation}s (shared by all cells,
 * as DARTS shares the normal cell); a discrete cell keeps two edges per node, each with one
 * operation. The cell's output concatenates its intermediate nodes ({@code nodes * C} channels).
 * All cells keep the resolution (no reduction cells: the inputs of this small search are small).
 * Batch normalization always uses the statistics of the current batch and has no affine parameters
 * inside the cells.
 *
 * <p>Parameters: {@value #ALPHA} of shape {@code (edges, operations)} in group {@link
 * ParameterSpec#FEATURES} (the meta-parameters {@code x} of the meta-feature family), present in
 * the search space only; every network weight in group {@link ParameterSpec#HEAD} (the base
 * parameters {@code y}). Weights are initialized uniform on {@code [-1/sqrt(fan_in),
 * 1/sqrt(fan_in)]} as PyTorch does, {@code alpha} as {@code 1e-3} times a standard normal as DARTS
 * does.
 */
public final class CellNetwork implements Model {
  /** The name of the architecture weights. */
  public static final String ALPHA = "alpha";

  private static final Shape ONE = new Shape(1, 1);
  private static final Shape THREE = new Shape(3, 3);
  private static final float BN_EPSILON = 1e-5f;
  private static final double ALPHA_SCALE = 1e-3;

  private final int cells;
  private final int nodes;
  private final int channels;
  private final Genotype genotype;
  private final List<ParameterSpec> specs;

  /**
   * A network.
   *
   * @param inputShape {@code (channels, height, width)}
   * @param outputs the number of classes
   * @param cells the number of cells, {@code >= 1}
   * @param nodes the intermediate nodes per cell, {@code >= 1}
   * @param channels {@code C}, the channels of every node, {@code >= 1}
   * @param genotype the discrete cell, or empty for the search space; its node count must be {@code
   *     nodes}
   */
  public CellNetwork(
      Shape inputShape,
      int outputs,
      int cells,
      int nodes,
      int channels,
      Optional<Genotype> genotype) {
    if (inputShape.dimension() != 3) {
      throw new IllegalArgumentException(
          "nas-cells needs inputs (channels, height, width), got " + inputShape);
    }
    if (cells < 1 || nodes < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "nas-cells needs cells, nodes and channels >= 1, got "
              + cells
              + ", "
              + nodes
              + ", "
              + channels);
    }
    this.genotype = genotype.orElse(null);
    if (this.genotype != null && this.genotype.nodes().size() != nodes) {
      throw new IllegalArgumentException(
          "the genotype has "
              + this.genotype.nodes().size()
              + " nodes, but option nodes is "
              + nodes);
    }
    this.cells = cells;
    this.nodes = nodes;
    this.channels = channels;
    List<ParameterSpec> list = new ArrayList<>();
    if (this.genotype == null) {
      list.add(
          new ParameterSpec(
              ALPHA,
              new Shape(Genotype.searchEdges(nodes), Operation.values().length),
              ParameterSpec.FEATURES));
    }
    long c = channels;
    list.add(weight("stem.weight", new Shape(c, inputShape.get(0), 3, 3)));
    long previousPrevious = c;
    long previous = c;
    for (int k = 0; k < cells; k++) {
      list.add(weight(cellName(k) + "pre0.weight", new Shape(c, previousPrevious, 1, 1)));
      list.add(weight(cellName(k) + "pre1.weight", new Shape(c, previous, 1, 1)));
      for (int node = 0; node < nodes; node++) {
        for (Genotype.Edge edge : edges(node)) {
          if (edge.operation().convolution()) {
            String name = edgeName(k, node, edge);
            int kernel = edge.operation().kernel();
            list.add(weight(name + "depthwise", new Shape(c, 1, kernel, kernel)));
            list.add(weight(name + "pointwise", new Shape(c, c, 1, 1)));
          }
        }
      }
      previousPrevious = previous;
      previous = c * nodes;
    }
    list.add(weight("head.weight", new Shape(outputs, previous)));
    list.add(weight("head.bias", new Shape(outputs)));
    this.specs = List.copyOf(list);
  }

  /**
   * The discrete cell, if this network is one.
   *
   * @return the genotype; empty for the search space
   */
  public Optional<Genotype> genotype() {
    return Optional.ofNullable(genotype);
  }

  /**
   * The intermediate nodes per cell.
   *
   * @return the count
   */
  public int nodes() {
    return nodes;
  }

  @Override
  public List<ParameterSpec> parameterSpecs() {
    return specs;
  }

  @Override
  public Variables initialize(NDManager manager, DataType dataType, long seed) {
    Random random = new Random(seed);
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      double[] data = new double[Math.toIntExact(spec.shape().size())];
      if (spec.name().equals(ALPHA)) {
        for (int i = 0; i < data.length; i++) {
          data[i] = ALPHA_SCALE * random.nextGaussian();
        }
      } else {
        Shape weight = spec.name().equals("head.bias") ? shapeOf("head.weight") : spec.shape();
        double bound = 1 / Math.sqrt((double) weight.size() / weight.get(0));
        for (int i = 0; i < data.length; i++) {
          data[i] = (2 * random.nextDouble() - 1) * bound;
        }
      }
      try (NDArray javaBacked = manager.create(data, spec.shape())) {
        values.put(spec.name(), javaBacked.toType(dataType, true).duplicate());
      }
    }
    return Variables.of(values);
  }

  @Override
  public NDArray forward(Variables params, NDArray input, boolean training) {
    NDArray weights =
        genotype == null ? params.get(ALPHA).softmax(-1) : null; // (edges, operations)
    NDArray stem =
        normalize(
            Conv2d.conv2d(input, params.get("stem.weight"), null, ONE, ONE, ONE, 1)
                .singletonOrThrow());
    NDArray s0 = stem;
    NDArray s1 = stem;
    for (int k = 0; k < cells; k++) {
      NDArray output = cell(k, params, weights, s0, s1);
      s0 = s1;
      s1 = output;
    }
    NDArray pooled = s1.mean(new int[] {3}).mean(new int[] {2});
    return Linear.linear(pooled, params.get("head.weight"), params.get("head.bias"))
        .singletonOrThrow();
  }

  private NDArray cell(int k, Variables params, NDArray weights, NDArray s0, NDArray s1) {
    List<NDArray> states = new ArrayList<>();
    states.add(preprocess(params.get(cellName(k) + "pre0.weight"), s0));
    states.add(preprocess(params.get(cellName(k) + "pre1.weight"), s1));
    for (int node = 0; node < nodes; node++) {
      NDArray sum = null;
      for (Genotype.Edge edge : edges(node)) {
        NDArray term =
            apply(edge.operation(), edgeName(k, node, edge), params, states.get(edge.input()));
        if (weights != null) {
          term =
              term.mul(
                  weights.get(Genotype.searchEdge(node, edge.input()), edge.operation().ordinal()));
        }
        sum = sum == null ? term : sum.add(term);
      }
      states.add(sum);
    }
    return NDArrays.concat(new NDList(states.subList(2, states.size())), 1);
  }

  /**
   * The edges into a node: every earlier state with every operation but the zero operation in the
   * search space (it contributes nothing to the sum, only to the softmax), the genotype's two
   * otherwise.
   */
  private List<Genotype.Edge> edges(int node) {
    if (genotype != null) {
      return genotype.nodes().get(node);
    }
    List<Genotype.Edge> all = new ArrayList<>();
    for (int input = 0; input < node + 2; input++) {
      for (Operation operation : Operation.discrete()) {
        all.add(new Genotype.Edge(operation, input));
      }
    }
    return all;
  }

  private NDArray apply(Operation operation, String name, Variables params, NDArray h) {
    return switch (operation) {
      case SKIP_CONNECT -> h;
      case MAX_POOL_3X3 -> Pool.maxPool2d(h, THREE, ONE, ONE, false);
      case AVG_POOL_3X3 -> Pool.avgPool2d(h, THREE, ONE, ONE, false, false);
      case SEP_CONV_3X3, SEP_CONV_5X5, DIL_CONV_3X3, DIL_CONV_5X5 -> {
        int dilation = operation.dilation();
        long padding = (long) dilation * (operation.kernel() - 1) / 2;
        NDArray depthwise =
            Conv2d.conv2d(
                    Activation.relu(h),
                    params.get(name + "depthwise"),
                    null,
                    ONE,
                    new Shape(padding, padding),
                    new Shape(dilation, dilation),
                    channels)
                .singletonOrThrow();
        yield normalize(
            Conv2d.conv2d(
                    depthwise, params.get(name + "pointwise"), null, ONE, new Shape(0, 0), ONE, 1)
                .singletonOrThrow());
      }
      case NONE -> throw new IllegalStateException("the zero operation is never applied");
    };
  }

  private NDArray preprocess(NDArray weight, NDArray state) {
    return normalize(
        Conv2d.conv2d(Activation.relu(state), weight, null, ONE, new Shape(0, 0), ONE, 1)
            .singletonOrThrow());
  }

  /**
   * Batch normalization with the batch's statistics and no affine parameters; axis {@code -1} makes
   * DJL call torch's batch norm directly, which normalizes dimension 1 (channels).
   */
  private NDArray normalize(NDArray h) {
    NDManager manager = h.getManager();
    Shape shape = new Shape(h.getShape().get(1));
    DataType type = h.getDataType();
    return BatchNorm.batchNorm(
            h,
            manager.zeros(shape, type),
            manager.ones(shape, type),
            manager.ones(shape, type),
            manager.zeros(shape, type),
            -1,
            0.9f,
            BN_EPSILON,
            true)
        .singletonOrThrow();
  }

  private static String cellName(int k) {
    return "cell" + k + ".";
  }

  private static String edgeName(int k, int node, Genotype.Edge edge) {
    return cellName(k)
        + "node"
        + node
        + ".in"
        + edge.input()
        + "."
        + edge.operation().label()
        + ".";
  }

  private Shape shapeOf(String name) {
    return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().shape();
  }

  private static ParameterSpec weight(String name, Shape shape) {
    return new ParameterSpec(name, shape, ParameterSpec.HEAD);
  }
}
