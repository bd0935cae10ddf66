package org.boml.runtime.run;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.boml.api.BomlApi;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;
import org.boml.runtime.train.Method;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.runtime.train.UpperPasses;

/**
 * The plugins of a {@link RunSpec}, found in a registry and opened: the dataset, the model and a
 * {@link MetaLearnerBuilder} configured with the spec's method ({@link Method}) and settings. Close
 * it to close the dataset.
 */
public final class Assembly implements AutoCloseable {
  /** {@code --upper-passes}' name of {@link UpperPasses#CONCURRENT}. */
  public static final String CONCURRENT = "concurrent";

  /** {@code --upper-passes}' name of {@link UpperPasses#ONE_AT_A_TIME}. */
  public static final String ONE_AT_A_TIME = "one-at-a-time";

  private final RunSpec spec;
  private final Dataset dataset;
  private final ModelProvider modelProvider;
  private final Shape inputShape;
  private final Model model;
  private final IterationModuleProvider dynamics;
  private final HypergradientModuleProvider hypergradient;
  private final Method method;

  private Assembly(
      RunSpec spec, PluginRegistry registry, Shape inputShape, int outputs, boolean training)
      throws DatasetException {
    this.spec = spec;
    DatasetProvider datasetProvider = registry.dataset(spec.dataset);
    this.dynamics = registry.iteration(spec.dynamics);
    this.hypergradient = registry.hypergradient(spec.hypergradient);
    Method.Builder parts =
        Method.builder()
            .dynamics(dynamics, spec.dynamicsOptions)
            .hypergradient(hypergradient, spec.hypergradientOptions)
            .plugins(registry);
    // checked (for training) before the dataset is opened, which may take long; evaluation, which
    // computes no hypergradient, only needs the modules and what they add to the model
    this.method =
        training
            ? parts.build(spec.innerSteps, Compatibility.ProblemKind.of(family(spec.family)))
            : parts.create(spec.innerSteps);
    this.dataset =
        PluginIdentity.created(datasetProvider, "open", datasetProvider.open(spec.datasetOptions));
    try {
      this.modelProvider =
          registry.model(spec.model.isEmpty() ? datasetProvider.defaultModel() : spec.model);
      this.inputShape = inputShape != null ? inputShape : dataset.inputShape();
      this.model = modelFor(outputs > 0 ? outputs : dataset.outputs());
      spec.versions.put("boml-runtime", moduleVersion());
      spec.versions.put("boml-api", BomlApi.VERSION);
      spec.versions.put(datasetProvider.name(), datasetProvider.version());
      spec.versions.put(modelProvider.name(), modelProvider.version());
      spec.versions.put(dynamics.name(), dynamics.version());
      spec.versions.put(hypergradient.name(), hypergradient.version());
    } catch (RuntimeException e) {
      dataset.close();
      throw e;
    }
  }

  /**
   * Opens the plugins of a run for training, after checking that the hypergradient module can work
   * with the dynamics, the number of inner steps and the family ({@link Compatibility}).
   *
   * @param spec the configuration; its {@code versions} are filled in
   * @param registry where the plugins come from
   * @return the assembly
   * @throws DatasetException if the dataset cannot be opened
   * @throws org.boml.runtime.plugin.IncompatiblePluginsException if the plugins declare the
   *     combination impossible; the message names both, what is missing and what would work
   */
  public static Assembly forTraining(RunSpec spec, PluginRegistry registry)
      throws DatasetException {
    return new Assembly(spec, registry, null, 0, true);
  }

  /**
   * Opens the plugins of a trained run for evaluation on a possibly different dataset, with the
   * model built for the trained input shape and number of outputs.
   *
   * @param spec the configuration, with evaluation overrides applied
   * @param registry where the plugins come from
   * @param inputShape the trained model's input shape
   * @param outputs the trained model's number of outputs
   * @return the assembly
   * @throws DatasetException if the dataset cannot be opened
   */
  public static Assembly forEvaluation(
      RunSpec spec, PluginRegistry registry, Shape inputShape, int outputs)
      throws DatasetException {
    return new Assembly(spec, registry, inputShape, outputs, false);
  }

  /**
   * The model for another number of outputs, with the spec's model options.
   *
   * @param outputs the number of outputs
   * @return the model
   */
  public Model modelFor(int outputs) {
    return PluginIdentity.created(
        modelProvider,
        "create",
        modelProvider.create(
            new ModelSpec(
                inputShape, outputs, Options.forProvider(spec.modelOptions, modelProvider))));
  }

  /**
   * The opened dataset.
   *
   * @return the dataset
   */
  public Dataset dataset() {
    return dataset;
  }

  /**
   * The model for the dataset's tasks.
   *
   * @return the model
   */
  public Model model() {
    return model;
  }

  /**
   * The model's input shape.
   *
   * @return the shape of one input
   */
  public Shape inputShape() {
    return inputShape;
  }

  /**
   * A learner builder with everything of the spec set, the method included.
   *
   * @return the builder
   */
  public MetaLearnerBuilder learner() {
    return MetaLearner.builder()
        .method(method)
        .dataset(dataset)
        .model(model)
        .modelForOutputs(this::modelFor)
        .family(family(spec.family))
        .innerSteps(spec.innerSteps)
        .metaBatch(spec.metaBatch)
        .optimizer(optimizer(spec), spec.metaLearningRate)
        .learningRateDecay(spec.learningRateDecay, spec.learningRateDecayEvery)
        .clipNorm(spec.clipNorm)
        .skipBadTasks(spec.skipBadTasks)
        .workers(spec.workers > 0 ? spec.workers : Runtime.getRuntime().availableProcessors())
        .devices(
            Devices.select(
                spec.devices, ComputeEngines.get().gpuCount(), ComputeEngines.get().gpuHelp()))
        .upperPasses(upperPasses(spec.upperPasses))
        .dataType(dataType(spec.dtype))
        .seed(spec.seed);
  }

  /**
   * A description of the plugins, with versions, for logs.
   *
   * @return the description
   */
  public String describe() {
    return dataset.describe()
        + "; model "
        + modelProvider.name()
        + " "
        + modelProvider.version()
        + "; "
        + hypergradient.name()
        + " "
        + hypergradient.version()
        + " with "
        + dynamics.name()
        + " "
        + dynamics.version()
        + " dynamics, "
        + spec.innerSteps
        + " inner step(s)";
  }

  /**
   * The versions recorded in the spec.
   *
   * @return plugin name to version
   */
  public Map<String, String> versions() {
    return new LinkedHashMap<>(spec.versions);
  }

  @Override
  public void close() {
    dataset.close();
  }

  private static String moduleVersion() {
    return Assembly.class.getModule().getDescriptor() == null
        ? "unknown"
        : Assembly.class.getModule().getDescriptor().rawVersion().orElse("unknown");
  }

  /**
   * Parses a family name.
   *
   * @param text {@code meta-init} or {@code meta-feature}
   * @return the family
   */
  public static Family family(String text) {
    return switch (text) {
      case "meta-init" -> Family.META_INITIALIZATION;
      case "meta-feature" -> Family.META_FEATURE;
      default ->
          throw new IllegalArgumentException(
              "family must be meta-init or meta-feature, got '" + text + "'");
    };
  }

  private static OuterOptimizer optimizer(RunSpec spec) {
    return switch (spec.optimizer) {
      case "adam" -> OuterOptimizer.adam();
      case "sgd" -> OuterOptimizer.sgd();
      case "momentum" -> OuterOptimizer.momentum(spec.momentum);
      default ->
          throw new IllegalArgumentException(
              "optimizer must be adam, sgd or momentum, got '" + spec.optimizer + "'");
    };
  }

  /**
   * The schedule of the tasks' upper passes that {@code --upper-passes} names.
   *
   * @param text {@code concurrent} or {@code one-at-a-time}
   * @return the schedule
   * @throws IllegalArgumentException naming both choices, for any other text
   */
  public static UpperPasses upperPasses(String text) {
    return switch (text) {
      case CONCURRENT -> UpperPasses.CONCURRENT;
      case ONE_AT_A_TIME -> UpperPasses.ONE_AT_A_TIME;
      default ->
          throw new IllegalArgumentException(
              "--upper-passes must be "
                  + CONCURRENT
                  + " or "
                  + ONE_AT_A_TIME
                  + ", got '"
                  + text
                  + "'");
    };
  }

  private static DataType dataType(String text) {
    return switch (text) {
      case "float32" -> DataType.FLOAT32;
      case "float64" -> DataType.FLOAT64;
      default ->
          throw new IllegalArgumentException(
              "dtype must be float32 or float64, got '" + text + "'");
    };
  }
}
