package org.boml.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.logging.log4j.LogManager;
import org.boml.api.Dataset;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.problem.Family;
import org.boml.runtime.problem.HeadWidening;
import org.boml.runtime.problem.ParameterLayout;

/**
 * Configures a {@link MetaLearner} ({@link MetaLearner#builder()}): the dataset, the model and the
 * method are required; the numeric settings ({@link TrainingConfig}) are checked where they are
 * set, and the method is resolved by {@link Method.Builder} when the learner is built.
 */
public final class MetaLearnerBuilder extends OuterLoopBuilder<MetaLearnerBuilder> {
  private Dataset dataset;
  private Model model;
  private IntFunction<Model> modelForOutputs;
  private Variables initialMeta;
  private ModelExtension givenExtension;
  private Consumer<String> warnings = LogManager.getLogger(MetaLearner.class)::warn;
  private UpperPasses upperPasses = UpperPasses.CONCURRENT;
  private List<Device> devices;

  MetaLearnerBuilder() {
    super(TrainingConfig.DEFAULTS, OuterOptimizer.adam());
  }

  @Override
  MetaLearnerBuilder self() {
    return this;
  }

  /**
   * The meta-dataset tasks come from (required).
   *
   * @param tasks the dataset
   * @return this builder
   */
  public MetaLearnerBuilder dataset(Dataset tasks) {
    dataset = Objects.requireNonNull(tasks, "dataset");
    return this;
  }

  /**
   * The model (required).
   *
   * @param trained the model
   * @return this builder
   */
  public MetaLearnerBuilder model(Model trained) {
    model = Objects.requireNonNull(trained, "model");
    return this;
  }

  /**
   * Builds the model for another number of classes, for evaluation tasks whose class count differs
   * from the training tasks' (see {@link HeadWidening} for how the head is adapted).
   *
   * @param factory the model for a number of outputs
   * @return this builder
   */
  public MetaLearnerBuilder modelForOutputs(IntFunction<Model> factory) {
    modelForOutputs = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Starts from saved meta-parameters instead of a fresh initialization.
   *
   * @param values meta-parameters with the names and shapes of this model and family
   * @return this builder
   */
  public MetaLearnerBuilder initialMetaParameters(Variables values) {
    initialMeta = Objects.requireNonNull(values, "values");
    return this;
  }

  /**
   * Which parameters are meta-parameters.
   *
   * @param family the family
   * @return this builder
   */
  public MetaLearnerBuilder family(Family family) {
    config = config.with(draft -> draft.family = family);
    return this;
  }

  /**
   * What the method adds to the model's parameters, for dynamics or a hypergradient given as
   * modules ({@link #dynamics(String, IterationModule)}); providers given with {@link
   * #dynamics(IterationModuleProvider, java.util.Map)} or {@link
   * #hypergradient(HypergradientModuleProvider, java.util.Map)} supply their own ({@link
   * IterationModuleProvider#modelExtension}).
   *
   * @param extension the extension
   * @return this builder
   */
  public MetaLearnerBuilder modelExtension(ModelExtension extension) {
    givenExtension = Objects.requireNonNull(extension, "extension");
    return this;
  }

  /**
   * The lower-level dynamics (required, or from a provider).
   *
   * @param name its plugin name, for messages
   * @param dynamics the module
   * @return this builder
   */
  public MetaLearnerBuilder dynamics(String name, IterationModule dynamics) {
    parts.dynamics(Objects.requireNonNull(name, "name"), dynamics);
    method = null;
    return this;
  }

  /**
   * The hypergradient computation (required, or from a provider).
   *
   * @param name its plugin name, for messages
   * @param hypergradient the module
   * @return this builder
   */
  public MetaLearnerBuilder hypergradient(String name, HypergradientModule hypergradient) {
    parts.hypergradient(Objects.requireNonNull(name, "name"), hypergradient);
    method = null;
    return this;
  }

  /**
   * Tasks per meta-iteration.
   *
   * @param tasks at least 1
   * @return this builder
   */
  public MetaLearnerBuilder metaBatch(int tasks) {
    config = config.with(draft -> draft.metaBatch = tasks);
    return this;
  }

  /**
   * Decays the outer learning rate: {@code lr * rate^floor(iteration / every)} ({@link
   * LearningRateSchedule}).
   *
   * @param rate the factor, in {@code (0, 1]}
   * @param every iterations between decays, at least 1
   * @return this builder
   */
  public MetaLearnerBuilder learningRateDecay(double rate, int every) {
    double base = config.learningRate().base();
    config = config.with(draft -> draft.learningRate = new LearningRateSchedule(base, rate, every));
    return this;
  }

  /**
   * Clips the mean hypergradient to a maximum Euclidean norm.
   *
   * @param maxNorm a positive norm, or 0 for no clipping
   * @return this builder
   */
  public MetaLearnerBuilder clipNorm(double maxNorm) {
    config = config.with(draft -> draft.clipNorm = maxNorm);
    return this;
  }

  /**
   * Skips tasks whose objective or hypergradient is not finite, with a warning naming the
   * iteration, the task and the modules, instead of stopping; the meta-step then averages the other
   * tasks of the meta-batch. Training still stops when more than {@code maxTasks} tasks have been
   * skipped since the learner was built, or when every task of a meta-batch is bad.
   *
   * @param maxTasks the most tasks to skip; 0 (the default) stops at the first bad task
   * @return this builder
   */
  public MetaLearnerBuilder skipBadTasks(int maxTasks) {
    config = config.with(draft -> draft.maxSkippedTasks = maxTasks);
    return this;
  }

  /**
   * Where warnings go, such as a skipped task's; by default the log.
   *
   * @param sink receives each warning
   * @return this builder
   */
  public MetaLearnerBuilder warnings(Consumer<String> sink) {
    warnings = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * Worker threads that compute the tasks of a meta-batch; results do not depend on it.
   *
   * @param count at least 1
   * @return this builder
   */
  public MetaLearnerBuilder workers(int count) {
    config = config.with(draft -> draft.workers = count);
    return this;
  }

  /**
   * How the workers schedule the tasks' upper passes: {@link UpperPasses#CONCURRENT} (the default)
   * or {@link UpperPasses#ONE_AT_A_TIME}, which holds the memory of one upper pass instead of one
   * per worker. Results do not depend on it in float64; in float32 an upper pass on more intra-op
   * threads may round its sums differently.
   *
   * @param schedule the schedule
   * @return this builder
   */
  public MetaLearnerBuilder upperPasses(UpperPasses schedule) {
    upperPasses = Objects.requireNonNull(schedule, "schedule");
    return this;
  }

  /**
   * The floating-point type of parameters and data.
   *
   * @param dataType {@code FLOAT32} (default) or {@code FLOAT64}
   * @return this builder
   */
  public MetaLearnerBuilder dataType(DataType dataType) {
    config = config.with(draft -> draft.dataType = dataType);
    return this;
  }

  /**
   * The devices that compute tasks: the workers are shared between them (at least one each, see
   * {@link #workers(int)}) and task {@code i} of a meta-batch runs on device {@code i mod D}. By
   * default the meta-parameters' device alone ({@link #device(Device)}, whose default is then the
   * first of these). {@link org.boml.runtime.run.Devices} parses and checks a user's list.
   *
   * @param list at least one; a device listed twice gets two pools of workers
   * @return this builder
   */
  public MetaLearnerBuilder devices(List<Device> list) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("devices must name at least one device");
    }
    devices = List.copyOf(list);
    return this;
  }

  /**
   * Builds the learner and initializes the meta-parameters.
   *
   * @return the learner
   * @throws IllegalStateException if a required part is missing
   * @throws org.boml.runtime.plugin.IncompatiblePluginsException if the hypergradient and the
   *     dynamics, given by their providers, cannot work together
   */
  public MetaLearner build() {
    requirePresent(dataset, "dataset");
    requirePresent(model, "model");
    Method resolved = resolveMethod("MetaLearner", Compatibility.ProblemKind.of(config.family()));
    Optional<ModelExtension> extension = resolved.extension(Optional.ofNullable(givenExtension));
    Device home =
        device != null
            ? device
            : devices != null ? devices.get(0) : ComputeEngines.get().defaultDevice();
    return new MetaLearner(
        new LearnerParts(
            dataset,
            model,
            modelForOutputs,
            initialMeta,
            ParameterLayout.of(model, config.family(), extension),
            resolved,
            config,
            optimizer,
            warnings,
            home,
            devices != null ? devices : List.of(home),
            upperPasses));
  }

  private static void requirePresent(Object value, String what) {
    if (value == null) {
      throw new IllegalStateException(
          "MetaLearner needs a " + what + "; call builder()." + what + "(...)");
    }
  }
}
