package org.boml.it;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.boml.api.BilevelProblem;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.MetaSplit;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.it.Combination.Data;
import org.boml.runtime.problem.Family;
import org.boml.runtime.problem.ParameterLayout;
import org.boml.runtime.problem.SupervisedProblem;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.QuadraticProblem;

/**
 * The datasets and models of the plugin matrix, opened once, and the float64 problem of one cell
 * built from them as the training loop builds it (the model's layout with the extension of the
 * method or the dynamics, {@link SupervisedProblem}, the initial meta-parameters; the tasks
 * converted to float64 as {@code MetaLearner} converts them).
 */
final class MatrixData implements AutoCloseable {
  /** Fixes the task drawn, the initialization and the problem's seed. */
  static final long SEED = 7;

  private final Map<Data, Dataset> open = new EnumMap<>(Data.class);

  /**
   * A problem with its meta-parameters.
   *
   * @param problem the bilevel problem, float64
   * @param x the meta-parameters, float64, not requiring a gradient
   */
  record Instance(BilevelProblem problem, Variables x) {}

  /**
   * The dataset of some data, opened on first use; a missing Omniglot fails the test (CI has it at
   * {@code ../shared/data/omniglot}).
   */
  synchronized Dataset dataset(Data data) throws DatasetException {
    Dataset dataset = open.get(data);
    if (dataset == null) {
      dataset =
          switch (data) {
            case SINUSOID -> open("sinusoid", Map.of());
            case OMNIGLOT ->
                open(
                    "omniglot",
                    Map.of(
                        "data-dir", OmniglotTrainingIT.omniglot().toString(),
                        "split", "peer",
                        "ways", "3",
                        "shots", "1",
                        "queries", "2",
                        "image-size", "14"));
            case TASK_FOLDERS ->
                open("tasks-dir", Map.of("dir", taskFolders().toString(), "image-size", "8"));
            case QUADRATIC ->
                throw new IllegalArgumentException("the quadratic problem has no data");
          };
      open.put(data, dataset);
    }
    return dataset;
  }

  private static Dataset open(String name, Map<String, String> options) throws DatasetException {
    DatasetProvider provider = MatrixPlugins.registry().dataset(name);
    return provider.open(Options.forProvider(options, provider));
  }

  /** The committed task folders, {@code integration-tests/fixtures/tasks}. */
  static Path taskFolders() {
    return Path.of(System.getProperty("basedir", ".")).resolve("fixtures/tasks");
  }

  /**
   * The tiny model of some data: an MLP 1-4-1 (a head of 5 parameters for 10 points, so that the
   * meta-feature lower level is strongly convex), a Conv-3 of 2 filters (14 -> 7 -> 3 -> 1, two
   * features), a ResNet of one block of width 2 (two features). With no more features than support
   * points, the cross-entropy head's Hessian is singular only along the shift of every logit, which
   * {@code grad_y F} does not reach: the implicit hypergradient ({@code hoag}) is then defined.
   * With more features than support points {@code grad_y F} leaves the Hessian's range, no
   * lower-level minimizer exists, and what conjugate gradient returns depends on where it stops.
   */
  Model model(Data data) throws DatasetException {
    Dataset dataset = dataset(data);
    String name;
    Map<String, String> options;
    switch (data) {
      case SINUSOID -> {
        name = "mlp";
        options = Map.of("hidden", "4");
      }
      case OMNIGLOT -> {
        name = "convnet";
        options = Map.of("blocks", "3", "filters", "2");
      }
      case TASK_FOLDERS -> {
        name = "resnet";
        options = Map.of("widths", "2");
      }
      default -> throw new IllegalArgumentException(data + " has no model");
    }
    ModelProvider provider = MatrixPlugins.registry().model(name);
    return provider.create(
        new ModelSpec(
            dataset.inputShape(), dataset.outputs(), Options.forProvider(options, provider)));
  }

  /**
   * The cell's problem in float64: task 0 of the meta-training split (the first task folder), the
   * model with the extension of the method or the dynamics, and its initial meta-parameters; with
   * {@code lr-variable}, {@code x} also holds {@code log(lr)}.
   *
   * @param cell the cell
   * @param extension what the method or the dynamics adds to the model
   * @param manager where everything lives
   */
  Instance instance(Combination cell, Optional<ModelExtension> extension, NDManager manager)
      throws DatasetException {
    BilevelProblem problem;
    Variables x;
    if (cell.problem().data() == Data.QUADRATIC) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, SEED);
      problem = quadratic;
      x =
          extension.isPresent()
              ? withLearnedHyperparameters(cell, quadratic, manager)
              : quadratic.initialMeta(SEED);
    } else {
      Dataset dataset = dataset(cell.problem().data());
      Model model = model(cell.problem().data());
      Family family = cell.problem().family();
      // the task folders' dataset numbers its tasks: seed 0 is the first folder
      long taskSeed = cell.problem().data() == Data.TASK_FOLDERS ? 0 : SEED;
      Task task = dataset.sample(MetaSplit.TRAIN, taskSeed, manager);
      TaskKind taskKind = dataset.taskKind();
      Task converted =
          new Task(float64(task.train(), taskKind), float64(task.validation(), taskKind));
      ParameterLayout layout = ParameterLayout.of(model, family, extension);
      problem = new SupervisedProblem(model, converted, taskKind, layout, manager, SEED);
      // The warp layers and MT-net's transforms start at the identity, where positions of a
      // constant background tie in a max-pool with different derivatives: the objective has a kink
      // there that finite differences cannot follow. Noise of 0.02 moves them off it.
      x =
          CheckProblems.jitter(
              layout.initialMeta(manager, DataType.FLOAT64, SEED),
              name -> name.startsWith("warpgrad.warp/") || name.startsWith("mtnet.T/"),
              0.02,
              SEED);
    }
    if (cell.dynamicsOptions().containsKey("lr-variable")) {
      double lr = Double.parseDouble(cell.dynamicsOptions().get("lr"));
      // an engine-owned scalar, never a Java-backed one (see the DJL engine notes)
      try (NDArray javaBacked = manager.create(Math.log(lr))) {
        x = x.merge(Variables.of(Map.of(MatrixPlugins.LOG_LR, javaBacked.duplicate())));
      }
    }
    return new Instance(problem, x);
  }

  /**
   * The quadratic problem's meta-parameters with what the dynamics add to them, as {@link
   * HyperparameterOptimizer} appends it to a problem of one's own (the learned hyperparameters of
   * the dynamics, e.g. {@code gd.log-lr}), copied into {@code manager}.
   */
  private static Variables withLearnedHyperparameters(
      Combination cell, QuadraticProblem quadratic, NDManager manager) {
    try (HyperparameterOptimizer optimizer =
        HyperparameterOptimizer.builder()
            .problem(quadratic)
            .problemKind(cell.problem().kind())
            .hyperparameters(quadratic.initialMeta(SEED))
            .dynamics(cell.dynamics(), cell.dynamicsOptions())
            .hypergradient(cell.method(), cell.methodOptions())
            .plugins(MatrixPlugins.registry())
            .innerSteps(cell.problem().steps())
            .seed(SEED)
            .build()) {
      return optimizer
          .hyperparameters()
          .map(
              value -> {
                NDArray copy = value.duplicate();
                copy.attach(manager);
                return copy;
              });
    }
  }

  private static Split float64(Split split, TaskKind kind) {
    NDArray targets = split.targets();
    return new Split(
        split.inputs().toType(DataType.FLOAT64, false),
        kind == TaskKind.REGRESSION ? targets.toType(DataType.FLOAT64, false) : targets);
  }

  @Override
  public synchronized void close() {
    open.values().forEach(Dataset::close);
    open.clear();
  }
}
