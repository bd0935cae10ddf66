package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.api.ParameterSpec;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.standardmodels.ResNet;
import org.boml.plugins.standardmodels.ResNetProvider;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.problem.Family;
import org.boml.runtime.problem.Losses;
import org.boml.runtime.problem.SupervisedProblem;
import org.boml.testkit.HypergradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The residual network: its parameters, shapes, exact forward function and float64 derivatives. */
class ResNetTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();

  private static Model create(Shape input, String widths, int outputs) {
    ModelProvider provider = new ResNetProvider();
    Map<String, String> options = widths == null ? Map.of() : Map.of("widths", widths);
    return provider.create(new ModelSpec(input, outputs, Options.forProvider(options, provider)));
  }

  @Test
  void omniglotParametersHaveTheDocumentedNamesShapesAndGroups() {
    Model model = create(new Shape(1, 28, 28), "64,96", 5);
    Map<String, Shape> expected = new LinkedHashMap<>();
    long in = 1;
    for (int b = 0; b < 2; b++) {
      long w = b == 0 ? 64 : 96;
      for (int k = 1; k <= 3; k++) {
        expected.put("block" + b + ".conv" + k + ".weight", new Shape(w, k == 1 ? in : w, 3, 3));
        expected.put("block" + b + ".bn" + k + ".gamma", new Shape(w));
        expected.put("block" + b + ".bn" + k + ".beta", new Shape(w));
      }
      expected.put("block" + b + ".skip.weight", new Shape(w, in, 1, 1));
      expected.put("block" + b + ".skip_bn.gamma", new Shape(w));
      expected.put("block" + b + ".skip_bn.beta", new Shape(w));
      in = w;
    }
    expected.put("head.weight", new Shape(5, 96));
    expected.put("head.bias", new Shape(5));
    Map<String, Shape> actual = new LinkedHashMap<>();
    for (ParameterSpec spec : model.parameterSpecs()) {
      actual.put(spec.name(), spec.shape());
      assertEquals(
          spec.name().startsWith("head.") ? ParameterSpec.HEAD : ParameterSpec.FEATURES,
          spec.group(),
          spec.name());
    }
    assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(actual.entrySet()));
    Model mini = create(new Shape(3, 84, 84), null, 5);
    assertEquals(
        new Shape(5, 256),
        mini.parameterSpecs().get(mini.parameterSpecs().size() - 2).shape(),
        "default widths 64,96,128,256");
  }

  @Test
  void initializationIsPytorchsDefault() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Model model = create(new Shape(3, 10, 10), "6,5", 4);
      Variables params = model.initialize(manager, DataType.FLOAT32, 3);
      assertEquals(
          model.parameterSpecs().stream().map(ParameterSpec::name).toList(), params.names());
      for (ParameterSpec spec : model.parameterSpecs()) {
        NDArray value = params.get(spec.name());
        assertEquals(spec.shape(), value.getShape(), spec.name());
        double[] values = value.toType(DataType.FLOAT64, false).toDoubleArray();
        if (spec.name().endsWith(".gamma") || spec.name().endsWith(".beta")) {
          double constant = spec.name().endsWith(".gamma") ? 1 : 0;
          for (double v : values) {
            assertEquals(constant, v, spec.name());
          }
        } else {
          long fanIn =
              spec.name().equals("head.bias") ? 5 : spec.shape().size() / spec.shape().get(0);
          double bound = 1 / Math.sqrt((double) fanIn);
          double largest = 0;
          for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
          }
          assertTrue(
              largest <= bound && largest > bound / 3,
              spec.name() + ": max |v| " + largest + ", bound " + bound);
        }
      }
    }
  }

  @Test
  void outputShapesForOmniglotAndMiniImageNet() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Model omniglot = create(new Shape(1, 28, 28), "64,96", 5);
      NDArray images = manager.randomUniform(0, 1, new Shape(4, 1, 28, 28));
      NDArray out =
          omniglot.forward(omniglot.initialize(manager, DataType.FLOAT32, 1), images, true);
      assertEquals(new Shape(4, 5), out.getShape());
      assertTrue(Float.isFinite(out.sum().getFloat()));
      Model mini = create(new Shape(3, 84, 84), "8,8,12,16", 5);
      NDArray rgb = manager.randomUniform(0, 1, new Shape(2, 3, 84, 84));
      assertEquals(
          new Shape(2, 5),
          mini.forward(mini.initialize(manager, DataType.FLOAT32, 2), rgb, true).getShape());
    }
  }

  @Test
  void badWidthsAndTooSmallInputsAreRefused() {
    IllegalArgumentException text =
        assertThrows(IllegalArgumentException.class, () -> create(new Shape(1, 28, 28), "64,x", 5));
    assertTrue(
        text.getMessage().contains("widths") && text.getMessage().contains("64,x"),
        text.getMessage());
    assertThrows(IllegalArgumentException.class, () -> create(new Shape(1, 28, 28), "64,0", 5));
    IllegalArgumentException small =
        assertThrows(IllegalArgumentException.class, () -> create(new Shape(1, 4, 4), "2,2,2", 5));
    assertTrue(
        small.getMessage().contains("too small") && small.getMessage().contains("block 2"),
        small.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new ResNet(new Shape(28, 28), List.of(4), 5));
  }

  // ---- the forward function against a plain-Java float64 reference of the documented architecture

  @Test
  void forwardIsTheDocumentedFunction() {
    Random random = new Random(11);
    int n = 3;
    int channels = 2;
    int size = 5; // odd: the max-pool rounds down
    List<Integer> widths = List.of(3, 2);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet model = new ResNet(new Shape(channels, size, size), widths, 4);
      Map<String, double[]> values = new LinkedHashMap<>();
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (ParameterSpec spec : model.parameterSpecs()) {
        double[] v = new double[Math.toIntExact(spec.shape().size())];
        for (int i = 0; i < v.length; i++) {
          v[i] =
              spec.name().endsWith(".gamma")
                  ? 0.5 + random.nextDouble()
                  : random.nextGaussian() * 0.7;
        }
        values.put(spec.name(), v);
        arrays.put(spec.name(), manager.create(v, spec.shape()));
      }
      double[][][][] x = new double[n][channels][size][size];
      double[] flat = new double[n * channels * size * size];
      int f = 0;
      for (double[][][] image : x) {
        for (double[][] plane : image) {
          for (double[] row : plane) {
            for (int j = 0; j < size; j++) {
              row[j] = random.nextGaussian();
              flat[f++] = row[j];
            }
          }
        }
      }
      double[] actual =
          model
              .forward(
                  Variables.of(arrays),
                  manager.create(flat, new Shape(n, channels, size, size)),
                  true)
              .toDoubleArray();
      double[][] expected = Reference.forward(x, widths, values);
      double[] expectedFlat = new double[actual.length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(expected[i], 0, expectedFlat, i * 4, 4);
      }
      assertArrayEquals(expectedFlat, actual, 1e-10);
    }
  }

  /** The architecture of {@link ResNet}'s documentation, written out in loops. */
  private static final class Reference {
    private static final double SLOPE =
        0.1f; // the documented slope, as the float libtorch receives

    static double[][] forward(double[][][][] x, List<Integer> widths, Map<String, double[]> p) {
      double[][][][] h = x;
      for (int b = 0; b < widths.size(); b++) {
        String block = "block" + b + ".";
        int w = widths.get(b);
        double[][][][] main = h;
        for (int k = 1; k <= 3; k++) {
          main = conv(main, p.get(block + "conv" + k + ".weight"), w, 3);
          main =
              batchNorm(
                  main, p.get(block + "bn" + k + ".gamma"), p.get(block + "bn" + k + ".beta"));
          if (k < 3) {
            main = leaky(main);
          }
        }
        double[][][][] skip = conv(h, p.get(block + "skip.weight"), w, 1);
        skip = batchNorm(skip, p.get(block + "skip_bn.gamma"), p.get(block + "skip_bn.beta"));
        double[][][][] sum = new double[main.length][w][main[0][0].length][main[0][0][0].length];
        for (int i = 0; i < sum.length; i++) {
          for (int c = 0; c < w; c++) {
            for (int r = 0; r < sum[i][c].length; r++) {
              for (int s = 0; s < sum[i][c][r].length; s++) {
                sum[i][c][r][s] = main[i][c][r][s] + skip[i][c][r][s];
              }
            }
          }
        }
        h = maxPool(leaky(sum));
      }
      double[] weight = p.get("head.weight");
      double[] bias = p.get("head.bias");
      int outputs = bias.length;
      int features = h[0].length;
      double[][] out = new double[h.length][outputs];
      for (int i = 0; i < h.length; i++) {
        for (int o = 0; o < outputs; o++) {
          double v = bias[o];
          for (int c = 0; c < features; c++) {
            double mean = 0;
            for (double[] row : h[i][c]) {
              for (double e : row) {
                mean += e;
              }
            }
            mean /= h[i][c].length * h[i][c][0].length;
            v += weight[o * features + c] * mean;
          }
          out[i][o] = v;
        }
      }
      return out;
    }

    /** Convolution with a k x k kernel (k = 3: padding 1; k = 1: no padding), stride 1, no bias. */
    static double[][][][] conv(double[][][][] x, double[] weight, int out, int k) {
      int in = x[0].length;
      int height = x[0][0].length;
      int width = x[0][0][0].length;
      int pad = k / 2;
      double[][][][] y = new double[x.length][out][height][width];
      for (int i = 0; i < x.length; i++) {
        for (int o = 0; o < out; o++) {
          for (int r = 0; r < height; r++) {
            for (int s = 0; s < width; s++) {
              double v = 0;
              for (int c = 0; c < in; c++) {
                for (int dr = 0; dr < k; dr++) {
                  for (int ds = 0; ds < k; ds++) {
                    int rr = r + dr - pad;
                    int ss = s + ds - pad;
                    if (rr >= 0 && rr < height && ss >= 0 && ss < width) {
                      v += weight[((o * in + c) * k + dr) * k + ds] * x[i][c][rr][ss];
                    }
                  }
                }
              }
              y[i][o][r][s] = v;
            }
          }
        }
      }
      return y;
    }

    /** Batch statistics over (N, H, W), biased variance, epsilon 1e-5. */
    static double[][][][] batchNorm(double[][][][] x, double[] gamma, double[] beta) {
      double[][][][] y = new double[x.length][x[0].length][x[0][0].length][x[0][0][0].length];
      for (int c = 0; c < x[0].length; c++) {
        double sum = 0;
        int count = 0;
        for (double[][][] image : x) {
          for (double[] row : image[c]) {
            for (double v : row) {
              sum += v;
              count++;
            }
          }
        }
        double mean = sum / count;
        double squares = 0;
        for (double[][][] image : x) {
          for (double[] row : image[c]) {
            for (double v : row) {
              squares += (v - mean) * (v - mean);
            }
          }
        }
        double scale = gamma[c] / Math.sqrt(squares / count + (double) 1e-5f);
        for (int i = 0; i < x.length; i++) {
          for (int r = 0; r < x[i][c].length; r++) {
            for (int s = 0; s < x[i][c][r].length; s++) {
              y[i][c][r][s] = (x[i][c][r][s] - mean) * scale + beta[c];
            }
          }
        }
      }
      return y;
    }

    static double[][][][] leaky(double[][][][] x) {
      double[][][][] y = new double[x.length][x[0].length][x[0][0].length][];
      for (int i = 0; i < x.length; i++) {
        for (int c = 0; c < x[i].length; c++) {
          for (int r = 0; r < x[i][c].length; r++) {
            y[i][c][r] = x[i][c][r].clone();
            for (int s = 0; s < y[i][c][r].length; s++) {
              if (y[i][c][r][s] < 0) {
                y[i][c][r][s] *= SLOPE;
              }
            }
          }
        }
      }
      return y;
    }

    /** 2x2 max-pool, stride 2, sizes rounded down. */
    static double[][][][] maxPool(double[][][][] x) {
      int height = x[0][0].length / 2;
      int width = x[0][0][0].length / 2;
      double[][][][] y = new double[x.length][x[0].length][height][width];
      for (int i = 0; i < x.length; i++) {
        for (int c = 0; c < x[i].length; c++) {
          for (int r = 0; r < height; r++) {
            for (int s = 0; s < width; s++) {
              y[i][c][r][s] =
                  Math.max(
                      Math.max(x[i][c][2 * r][2 * s], x[i][c][2 * r][2 * s + 1]),
                      Math.max(x[i][c][2 * r + 1][2 * s], x[i][c][2 * r + 1][2 * s + 1]));
            }
          }
        }
      }
      return y;
    }
  }

  // ---- float64 derivatives against central finite differences

  /** A 3-way task of random 2x8x8 images, 2 per class for training and 3 for validation. */
  private static Task tinyTask(NDManager manager, Random random) {
    return new Task(images(manager, random, 2), images(manager, random, 3));
  }

  private static Split images(NDManager manager, Random random, int perClass) {
    int count = 3 * perClass;
    double[] pixels = new double[count * 2 * 8 * 8];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextGaussian();
    }
    long[] labels = new long[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 3;
    }
    return new Split(manager.create(pixels, new Shape(count, 2, 8, 8)), manager.create(labels));
  }

  private static double value(NDArray scalar) {
    return scalar.toType(DataType.FLOAT64, false).getDouble();
  }

  @Test
  void lossGradientMatchesFiniteDifferencesInFloat64() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Model model = new ResNet(new Shape(2, 8, 8), List.of(3, 4), 3);
      Split data = tinyTask(manager, new Random(5)).train();
      Variables x = model.initialize(manager, DataType.FLOAT64, 9);
      Variables leaves = x.map(D::leaf);
      NDArray loss =
          Losses.loss(
              TaskKind.CLASSIFICATION, model.forward(leaves, data.inputs(), true), data.targets());
      Variables gradient = D.gradient(loss, leaves, false);
      for (String name : x.names()) {
        assertTrue(gradient.get(name).abs().max().getDouble() > 0, "no gradient reaches " + name);
      }
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              p -> {
                try (NDManager scratch = manager.newSubManager()) {
                  NDArray value =
                      Losses.loss(
                          TaskKind.CLASSIFICATION,
                          model.forward(p, data.inputs(), true),
                          data.targets());
                  value.attach(scratch);
                  return value(value);
                }
              },
              x,
              gradient,
              6,
              1e-6,
              17);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
    }
  }

  /**
   * The second-order path every exact hypergradient takes: d/dx of the validation loss after two
   * differentiable gradient-descent steps on the training loss, which differentiates through the
   * gradient of the network (double backward through convolution, batch norm, leaky ReLU, max-pool
   * and global average pooling).
   */
  @ParameterizedTest
  @EnumSource(Family.class)
  void gradientThroughTwoInnerStepsMatchesFiniteDifferences(Family family) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Model model = new ResNet(new Shape(2, 8, 8), List.of(3, 4), 3);
      Task task = tinyTask(manager, new Random(6));
      SupervisedProblem problem =
          new SupervisedProblem(model, task, TaskKind.CLASSIFICATION, family, manager);
      Set<String> meta = SupervisedProblem.metaNames(model, family);
      Variables x = model.initialize(manager, DataType.FLOAT64, 4).select(meta::contains);
      GradientDescent dynamics = new GradientDescent(family == Family.META_FEATURE ? 0.5 : 0.1);
      int steps = 2;
      Variables leaves = x.map(D::leaf);
      Variables y = dynamics.initialize(leaves, problem, D);
      for (int t = 0; t < steps; t++) {
        y = dynamics.step(t, leaves, y, problem, D, true);
      }
      Variables hypergradient = D.gradient(problem.upperObjective(leaves, y), leaves, false);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              p -> HypergradientCheck.unrolledObjective(problem, dynamics, p, steps, D),
              x,
              hypergradient,
              4,
              1e-6,
              23);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, family + ": " + check);
      double withoutSteps = HypergradientCheck.unrolledObjective(problem, dynamics, x, 0, D);
      double afterSteps = HypergradientCheck.unrolledObjective(problem, dynamics, x, steps, D);
      assertTrue(withoutSteps != afterSteps, "the inner steps changed nothing");
    }
  }
}
