package org.boml.nas;

import static org.boml.runtime.train.Ranges.atLeast;
import static org.boml.runtime.train.Ranges.positive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.boml.api.Capabilities;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.api.ParameterSpec;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescentProvider;
import org.boml.plugins.nascells.CellNetwork;
import org.boml.plugins.nascells.Genotype;
import org.boml.plugins.nascells.NasCellsProvider;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Losses;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.runtime.train.Seeds;

/**
 * DARTS (Liu, Simonyan and Yang, ICLR 2019, algorithm 1) with the generic bilevel API, then the
 * evaluation of the derived cell against random cells.
 *
 * <p>Search: the {@code nas-cells} model's architecture weights {@code alpha} and network weights
 * {@code w} are updated alternately on mini-batches of two disjoint halves of the data. Each step
 * builds a {@link SearchProblem} (training batch for {@code f}, validation batch for {@code F},
 * {@code Psi_0 = w}: the weights are carried over between steps, never re-initialized), lets the
 * hypergradient plugin compute {@code dF/d alpha} through one {@code gd} step of size {@code xi}
 * ({@code darts}: DARTS's second-order finite-difference formula; {@code fmaml}: the first-order
 * gradient {@code grad_alpha F(alpha, w')}), applies Adam to {@code alpha}, and then one SGD step
 * with momentum on {@code w} for the training batch at the new {@code alpha}.
 *
 * <p>Evaluation: the discrete cell derived from {@code alpha} ({@link Genotype#derive}) and {@code
 * random-cells} random cells of the same size ({@link Genotype#random}) are each trained from
 * scratch on the training and validation images together, with the same budget, and tested on the
 * test images.
 */
public final class ArchitectureSearch {
  /** The dynamics of the virtual step: plain gradient descent of size {@code xi}. */
  public static final String DYNAMICS = "gd";

  /** The model plugin. */
  public static final String MODEL = NasCellsProvider.NAME;

  /** Fashion-MNIST's classes. */
  static final int CLASSES = 10;

  private static final int EVALUATION_BATCH = 500;

  /**
   * What the problem supplies: {@code alpha} enters both the training loss {@code f} and the
   * validation loss {@code F} (so a first-order method has a direct term); {@code Psi_0} is the
   * carried-over weights, constant in {@code alpha}.
   */
  static final Compatibility.ProblemKind PROBLEM =
      Compatibility.ProblemKind.declared(
          "DARTS architecture search (alpha in both losses, weights carried over)",
          Set.of(Capabilities.X_IN_LOWER_OBJECTIVE, Capabilities.X_BEYOND_LOWER_OBJECTIVE));

  private ArchitectureSearch() {}

  /**
   * What to run.
   *
   * @param cells the network's cells
   * @param nodes the intermediate nodes per cell
   * @param channels the channels of every node
   * @param imageSize 28, or 14 (2x2 averaging)
   * @param train the search's training images
   * @param validation the search's validation images
   * @param test the test images
   * @param batch the mini-batch size of search and retraining
   * @param epochs the search epochs (passes over the training images)
   * @param weightLearningRate {@code xi}: the step size of the weights' SGD and of the virtual step
   * @param momentum the weights' momentum
   * @param alphaLearningRate Adam's step size on {@code alpha}
   * @param method the hypergradient plugin
   * @param methodOptions its options
   * @param retrainEpochs the epochs of each retraining from scratch
   * @param randomCells the number of random cells
   * @param seed the seed of initializations, batches and random cells
   */
  public record Settings(
      int cells,
      int nodes,
      int channels,
      int imageSize,
      int train,
      int validation,
      int test,
      int batch,
      int epochs,
      double weightLearningRate,
      double momentum,
      double alphaLearningRate,
      String method,
      Map<String, String> methodOptions,
      int retrainEpochs,
      int randomCells,
      long seed) {
    /** Checks the values, naming the command-line option of a bad one. */
    public Settings {
      Objects.requireNonNull(method, "method");
      methodOptions = Map.copyOf(methodOptions);
      atLeast("--cells", cells, 1);
      atLeast("--nodes", nodes, 1);
      atLeast("--channels", channels, 1);
      if (imageSize != ImageData.FULL && imageSize != ImageData.HALF) {
        throw new IllegalArgumentException("--image-size must be 28 or 14, got " + imageSize);
      }
      atLeast("--train", train, 1);
      atLeast("--validation", validation, 1);
      atLeast("--test", test, 1);
      atLeast("--batch", batch, 2);
      atLeast("--epochs", epochs, 1);
      positive("--weight-lr", weightLearningRate);
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
      }
      positive("--alpha-lr", alphaLearningRate);
      atLeast("--retrain-epochs", retrainEpochs, 1);
      atLeast("--random-cells", randomCells, 1);
    }

    Map<String, String> dynamicsOptions() {
      return Map.of(GradientDescentProvider.LEARNING_RATE, Double.toString(weightLearningRate));
    }

    Map<String, String> modelOptions(Genotype genotype) {
      Map<String, String> options = new LinkedHashMap<>();
      options.put(NasCellsProvider.CELLS, Integer.toString(cells));
      options.put(NasCellsProvider.NODES, Integer.toString(nodes));
      options.put(NasCellsProvider.CHANNELS, Integer.toString(channels));
      if (genotype != null) {
        options.put(NasCellsProvider.GENOTYPE, genotype.toString());
      }
      return options;
    }
  }

  /**
   * What one epoch measured.
   *
   * @param phase {@code search}, {@code derived} or {@code random-<i>}
   * @param epoch the epoch just finished, 1-based
   * @param epochs the epochs planned
   * @param trainLoss the mean training loss of the epoch's batches
   * @param trainAccuracy the mean training accuracy of the epoch's batches
   * @param validationLoss the search: the mean of {@code F} after the virtual step; NaN otherwise
   * @param validationAccuracy the search: the accuracy on all validation images at the epoch's end;
   *     retraining: the test accuracy at the last epoch, NaN before
   * @param seconds the wall-clock seconds since the phase started
   */
  public record Report(
      String phase,
      int epoch,
      int epochs,
      double trainLoss,
      double trainAccuracy,
      double validationLoss,
      double validationAccuracy,
      double seconds) {}

  /**
   * One trained discrete network.
   *
   * @param name {@code derived} or {@code random-<i>}
   * @param genotype its cell
   * @param parameters its number of weights
   * @param testAccuracy the accuracy on the test images after retraining
   * @param seconds the training time
   */
  public record Retrained(
      String name, String genotype, long parameters, double testAccuracy, double seconds) {}

  /**
   * Refuses, before any work, a hypergradient plugin that cannot work with {@value #DYNAMICS} on
   * this problem.
   *
   * @param settings what to run
   * @param plugins where the plugins come from
   * @throws org.boml.runtime.plugin.IncompatiblePluginsException naming both plugins and why
   */
  public static void requireCompatible(Settings settings, PluginRegistry plugins) {
    new Compatibility(
            plugins.hypergradient(settings.method()),
            settings.methodOptions(),
            plugins.iteration(DYNAMICS),
            settings.dynamicsOptions(),
            1,
            PROBLEM,
            plugins.iterations())
        .require();
  }

  /**
   * The network of a genotype (or the search space), through the registry's {@value #MODEL}.
   *
   * @param plugins the registry
   * @param settings the sizes
   * @param genotype the discrete cell, or null for the search space
   * @return the model
   */
  public static CellNetwork network(PluginRegistry plugins, Settings settings, Genotype genotype) {
    ModelProvider provider = plugins.model(MODEL);
    Model model =
        provider.create(
            new ModelSpec(
                new Shape(1, settings.imageSize(), settings.imageSize()),
                CLASSES,
                Options.forProvider(settings.modelOptions(genotype), provider)));
    return (CellNetwork) model;
  }

  /**
   * Runs the DARTS search.
   *
   * @param model the search-space network
   * @param data the images
   * @param settings what to run
   * @param method the hypergradient
   * @param dynamics the virtual step
   * @param listener told after every epoch
   * @param manager owns the result
   * @return the final architecture weights {@code alpha}, float32 in {@code manager}
   */
  public static NDArray search(
      CellNetwork model,
      ImageData data,
      Settings settings,
      HypergradientModule method,
      IterationModule dynamics,
      Consumer<Report> listener,
      NDManager manager) {
    Differentiator d = ComputeEngines.get().differentiator();
    Variables all = model.initialize(manager, DataType.FLOAT32, settings.seed());
    Variables alpha = all.select(name -> group(model, name).equals(ParameterSpec.FEATURES));
    Variables weights = all.select(name -> !alpha.contains(name));
    OuterOptimizer adam = OuterOptimizer.adam(0.5, 0.999, 1e-8);
    OuterOptimizer sgd = OuterOptimizer.momentum(settings.momentum());
    long start = System.nanoTime();
    int trainCount = Math.toIntExact(data.trainImages().getShape().get(0));
    int validationCount = Math.toIntExact(data.validationImages().getShape().get(0));
    int batches = Math.max(1, trainCount / settings.batch());
    long step = 0;
    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
      int[] trainOrder = permutation(trainCount, Seeds.task(settings.seed(), epoch, 0));
      int[] validationOrder = permutation(validationCount, Seeds.task(settings.seed(), epoch, 1));
      double loss = 0;
      double accuracy = 0;
      double validationLoss = 0;
      for (int b = 0; b < batches; b++) {
        step++;
        try (NDScope scope = new NDScope();
            NDManager local = manager.newSubManager()) {
          scope.suppressNotUsedWarning();
          NDArray trainIndex = indices(trainOrder, b, settings.batch(), local);
          NDArray validationIndex =
              indices(
                  validationOrder,
                  b % Math.max(1, validationCount / settings.batch()),
                  settings.batch(),
                  local);
          NDArray images = data.trainImages().get(trainIndex);
          NDArray labels = data.trainLabels().get(trainIndex);
          SearchProblem problem =
              new SearchProblem(
                  model,
                  weights,
                  images,
                  labels,
                  data.validationImages().get(validationIndex),
                  data.validationLabels().get(validationIndex),
                  local,
                  Seeds.task(settings.seed(), step, 2));
          Hypergradient h = method.compute(problem, dynamics, leaves(alpha, local, d), 1, d);
          requireFinite(h.upperObjective(), "the validation loss", step);
          adam.step(alpha, h.gradient(), settings.alphaLearningRate());
          validationLoss += h.upperObjective();
          Variables w = leaves(weights, local, d);
          NDArray predictions = model.forward(alpha.merge(w), images, true);
          NDArray objective = Losses.loss(TaskKind.CLASSIFICATION, predictions, labels);
          double value = objective.toType(DataType.FLOAT64, false).getDouble();
          requireFinite(value, "the training loss", step);
          loss += value;
          accuracy += Losses.metric(TaskKind.CLASSIFICATION, predictions, labels);
          sgd.step(weights, d.gradient(objective, w, false), settings.weightLearningRate());
        }
      }
      double validationAccuracy =
          accuracy(model, alpha.merge(weights), data.validationImages(), data.validationLabels());
      listener.accept(
          new Report(
              "search",
              epoch,
              settings.epochs(),
              loss / batches,
              accuracy / batches,
              validationLoss / batches,
              validationAccuracy,
              (System.nanoTime() - start) / 1e9));
    }
    return alpha.get(CellNetwork.ALPHA);
  }

  /**
   * Trains a discrete network from scratch on the training and validation images with SGD and
   * momentum, and tests it.
   *
   * @param name the network's name in the reports
   * @param model the discrete network
   * @param data the images
   * @param settings the batch, epochs, learning rate, momentum and seed
   * @param listener told after every epoch
   * @return the result
   */
  public static Retrained retrain(
      String name,
      CellNetwork model,
      ImageData data,
      Settings settings,
      Consumer<Report> listener) {
    Differentiator d = ComputeEngines.get().differentiator();
    Genotype genotype =
        model
            .genotype()
            .orElseThrow(() -> new IllegalArgumentException("retraining needs a discrete cell"));
    long start = System.nanoTime();
    try (NDManager manager = data.trainImages().getManager().newSubManager()) {
      Variables weights = model.initialize(manager, DataType.FLOAT32, settings.seed());
      long parameters = 0;
      for (NDArray value : weights.values()) {
        parameters += value.size();
      }
      NDArray images = NDArrays.concat(new NDList(data.trainImages(), data.validationImages()), 0);
      NDArray labels = NDArrays.concat(new NDList(data.trainLabels(), data.validationLabels()), 0);
      images.attach(manager);
      labels.attach(manager);
      int count = Math.toIntExact(images.getShape().get(0));
      int batches = Math.max(1, count / settings.batch());
      OuterOptimizer sgd = OuterOptimizer.momentum(settings.momentum());
      double testAccuracy = Double.NaN;
      for (int epoch = 1; epoch <= settings.retrainEpochs(); epoch++) {
        int[] order = permutation(count, Seeds.task(settings.seed(), epoch, 3));
        double loss = 0;
        double accuracy = 0;
        for (int b = 0; b < batches; b++) {
          try (NDScope scope = new NDScope();
              NDManager local = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray index = indices(order, b, settings.batch(), local);
            NDArray batchLabels = labels.get(index);
            Variables w = leaves(weights, local, d);
            NDArray predictions = model.forward(w, images.get(index), true);
            NDArray objective = Losses.loss(TaskKind.CLASSIFICATION, predictions, batchLabels);
            double value = objective.toType(DataType.FLOAT64, false).getDouble();
            requireFinite(value, name + " training loss", b);
            loss += value;
            accuracy += Losses.metric(TaskKind.CLASSIFICATION, predictions, batchLabels);
            sgd.step(weights, d.gradient(objective, w, false), settings.weightLearningRate());
          }
        }
        if (epoch == settings.retrainEpochs()) {
          testAccuracy = accuracy(model, weights, data.testImages(), data.testLabels());
        }
        listener.accept(
            new Report(
                name,
                epoch,
                settings.retrainEpochs(),
                loss / batches,
                accuracy / batches,
                Double.NaN,
                testAccuracy,
                (System.nanoTime() - start) / 1e9));
      }
      return new Retrained(
          name, genotype.toString(), parameters, testAccuracy, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Everything {@code boml nas} does: search, derive, retrain the derived cell and the random
   * cells.
   *
   * @param data the images
   * @param settings what to run
   * @param plugins where the model, the dynamics and the hypergradient come from
   * @param listener told after every epoch of every phase
   * @param derived told the derived genotype and the final {@code alpha} as soon as the search ends
   * @return the result
   */
  public static NasResult run(
      ImageData data,
      Settings settings,
      PluginRegistry plugins,
      Consumer<Report> listener,
      BiConsumer<Genotype, double[][]> derived) {
    requireCompatible(settings, plugins);
    IterationModule dynamics = plugins.iteration(DYNAMICS).create(settings.dynamicsOptions());
    HypergradientModule method =
        plugins.hypergradient(settings.method()).create(settings.methodOptions());
    CellNetwork space = network(plugins, settings, null);
    long start = System.nanoTime();
    double[][] alpha;
    try (NDManager manager = data.trainImages().getManager().newSubManager()) {
      alpha = rows(search(space, data, settings, method, dynamics, listener, manager));
    }
    double searchSeconds = (System.nanoTime() - start) / 1e9;
    Genotype genotype = Genotype.derive(alpha, settings.nodes());
    derived.accept(genotype, alpha);
    Retrained searched =
        retrain("derived", network(plugins, settings, genotype), data, settings, listener);
    List<Retrained> random = new ArrayList<>();
    Random draw = new Random(settings.seed());
    for (int i = 1; i <= settings.randomCells(); i++) {
      Genotype cell = Genotype.random(settings.nodes(), draw);
      random.add(
          retrain("random-" + i, network(plugins, settings, cell), data, settings, listener));
    }
    return new NasResult(genotype.toString(), searchSeconds, softmax(alpha), searched, random);
  }

  /** The accuracy of a network on images, in batches, without a graph. */
  static double accuracy(Model model, Variables params, NDArray images, NDArray labels) {
    long count = images.getShape().get(0);
    double correct = 0;
    for (long from = 0; from < count; from += EVALUATION_BATCH) {
      long to = Math.min(count, from + EVALUATION_BATCH);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDIndex range = new NDIndex("{}:{}", from, to);
        NDArray predictions = model.forward(params, images.get(range), true);
        correct +=
            Losses.metric(TaskKind.CLASSIFICATION, predictions, labels.get(range)) * (to - from);
      }
    }
    return correct / count;
  }

  private static String group(Model model, String name) {
    return model.parameterSpecs().stream()
        .filter(spec -> spec.name().equals(name))
        .findFirst()
        .orElseThrow()
        .group();
  }

  private static void requireFinite(double value, String what, long step) {
    if (!Double.isFinite(value)) {
      throw new IllegalStateException(
          what + " is not finite at step " + step + "; try a smaller --weight-lr or --alpha-lr");
    }
  }

  /** Private leaves that require a gradient, with the values of {@code x}, in a manager. */
  private static Variables leaves(Variables x, NDManager owner, Differentiator d) {
    return x.map(
        value -> {
          NDArray leaf = d.leaf(value);
          leaf.attach(owner);
          return leaf;
        });
  }

  private static int[] permutation(int count, long seed) {
    Random random = new Random(seed);
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private static NDArray indices(int[] order, int batch, int size, NDManager manager) {
    int from = batch * size;
    int to = Math.min(order.length, from + size);
    long[] values = new long[to - from];
    for (int i = from; i < to; i++) {
      values[i - from] = order[i];
    }
    return manager.create(values);
  }

  private static double[][] rows(NDArray alpha) {
    double[] flat = alpha.toType(DataType.FLOAT64, false).toDoubleArray();
    int columns = Math.toIntExact(alpha.getShape().get(1));
    double[][] rows = new double[flat.length / columns][columns];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(flat, r * columns, rows[r], 0, columns);
    }
    return rows;
  }

  private static double[][] softmax(double[][] logits) {
    double[][] weights = new double[logits.length][];
    for (int r = 0; r < logits.length; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logits[r]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      weights[r] = new double[logits[r].length];
      for (int c = 0; c < logits[r].length; c++) {
        weights[r][c] = Math.exp(logits[r][c] - max);
        sum += weights[r][c];
      }
      for (int c = 0; c < logits[r].length; c++) {
        weights[r][c] /= sum;
      }
    }
    return weights;
  }
}
