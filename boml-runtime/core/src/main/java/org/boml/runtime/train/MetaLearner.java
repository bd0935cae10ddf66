package org.boml.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.Dataset;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.MetaSplit;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginException;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.runtime.problem.HeadWidening;
import org.boml.runtime.problem.Losses;
import org.boml.runtime.problem.ParameterLayout;
import org.boml.runtime.problem.SupervisedProblem;

/**
 * Meta-trains a model on a dataset: every meta-iteration samples a meta-batch of tasks, computes
 * each task's hypergradient on worker threads bound to devices (task {@code i} on device {@code i
 * mod D}), sums them in task order on the meta-parameters' device (so the result does not depend on
 * the number of workers), averages, clips, and applies the outer optimizer.
 *
 * <p>For distributed training, {@link #solveTasks(int, int, int)} computes a share of an
 * iteration's tasks and {@link #step(int, TaskSum)} applies the summed shares.
 *
 * <p>Every task is fixed by (seed, iteration, index), the initial meta-parameters by the seed, so
 * one seed fixes the whole run. Built with {@link #builder()}; close it to free native memory.
 */
public final class MetaLearner implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(MetaLearner.class);
  private static final String DYNAMICS = "dynamics";
  private static final String HYPERGRADIENT = "hypergradient module";
  private final Settings settings;
  private final PluginIdentity datasetIdentity;
  private final ComputeEngine engine = ComputeEngines.get();
  private final Differentiator differentiator = engine.differentiator();
  private final NDManager root;
  private final NDManager parameterManager;
  private final Variables meta;
  private final TaskWorkers workers;

  /** The most steps {@link #stepMemory} takes. */
  static final int PROBE_STEPS = 200;

  /** The fewest steps {@link #stepMemory} takes where the run has that many. */
  static final int PROBE_MIN_STEPS = 5;

  /** The growth after which {@link #stepMemory} stops, so that measuring keeps little memory. */
  static final long PROBE_BYTES = 32L << 20;

  /** The pseudo-iteration that fixes the validation tasks (training uses 0, 1, ...; tests -1). */
  private static final long VALIDATION = -2;

  private final long startNanos = System.nanoTime();
  private int completed;
  private int skippedTasks;

  private MetaLearner(Settings settings) {
    this.settings = settings;
    this.datasetIdentity = PluginIdentity.of("dataset", null, settings.dataset);
    engine.enableGradients();
    this.root = NDManager.newBaseManager(settings.device);
    this.parameterManager = root.newSubManager();
    this.meta = settings.layout.initialMeta(parameterManager, settings.dataType, settings.seed);
    if (settings.initialMeta != null) {
      copyInto(meta, settings.initialMeta);
    }
    this.workers = new TaskWorkers(settings.devices, settings.workers);
  }

  /**
   * A builder with BOML's defaults: meta-initialization family, 1 inner step, meta-batch 4, Adam
   * with learning rate 1e-3, no clipping or decay, 1 worker, float32, seed 0.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The current meta-parameters {@code x}; updated in place by every iteration.
   *
   * @return the meta-parameters
   */
  public Variables metaParameters() {
    return meta;
  }

  /**
   * The number of meta-iterations done.
   *
   * @return the count
   */
  public int completedIterations() {
    return completed;
  }

  /**
   * The number of tasks skipped for a non-finite objective or hypergradient in this run, those
   * before a restored checkpoint included (see {@link Builder#skipBadTasks(int)}).
   *
   * @return the count
   */
  public int skippedTasks() {
    return skippedTasks;
  }

  /**
   * The outer optimizer's state, for checkpoints (see {@link OuterOptimizer#state(Variables)}).
   *
   * @return the state arrays, named {@code <slot>/<parameter>}
   */
  public Variables optimizerState() {
    return settings.optimizer.state(meta);
  }

  /**
   * The outer optimizer's name, for checkpoints (see {@link OuterOptimizer#name()}).
   *
   * @return {@code sgd}, {@code momentum} or {@code adam}
   */
  public String optimizerName() {
    return settings.optimizer.name();
  }

  /**
   * The number of updates the outer optimizer has applied.
   *
   * @return the step count
   */
  public long optimizerSteps() {
    return settings.optimizer.steps();
  }

  /**
   * Continues from a checkpoint: the meta-parameters, the optimizer's state, the iteration count
   * and the tasks skipped so far. Tasks depend only on (seed, iteration, index), so training
   * continued from here gives exactly the meta-parameters of an uninterrupted run, and the cap of
   * {@link Builder#skipBadTasks(int)} counts the tasks skipped before the checkpoint too.
   *
   * @param metaValues the saved meta-parameters
   * @param optimizerState the saved optimizer state
   * @param optimizerSteps the saved optimizer step count
   * @param completedIterations the iterations done before the checkpoint
   * @param skippedTasks the tasks skipped before the checkpoint
   */
  public void restore(
      Variables metaValues,
      Variables optimizerState,
      long optimizerSteps,
      int completedIterations,
      int skippedTasks) {
    copyInto(meta, metaValues);
    settings.optimizer.restore(meta, optimizerState, optimizerSteps);
    this.completed = completedIterations;
    this.skippedTasks = skippedTasks;
  }

  /**
   * Runs meta-iterations.
   *
   * @param iterations how many more to run
   * @param listener told after each one
   * @throws TrainingDivergedException if an objective or hypergradient is not finite (beyond what
   *     {@link Builder#skipBadTasks(int)} allows); the meta-parameters keep the values of the last
   *     good iteration
   * @throws PluginException if a plugin throws, naming the iteration, the task, the plugins with
   *     their versions and jars, and the frame that threw
   */
  public void train(int iterations, Consumer<IterationReport> listener) {
    int target = completed + iterations;
    while (completed < target) {
      listener.accept(step(target));
    }
  }

  /**
   * Runs one meta-iteration.
   *
   * @param plannedIterations the total planned, for the report
   * @return what it measured
   */
  public IterationReport step(int plannedIterations) {
    int iteration = completed;
    try (NDManager iterationManager = root.newSubManager()) {
      double[] accuracies = new double[settings.metaBatch];
      List<Hypergradient> results =
          workers.runOrdered(
              0,
              settings.metaBatch,
              (index, device) -> solveTask(iterationManager, iteration, index, device, accuracies));
      List<Hypergradient> kept = results;
      Average average = average(results, iterationManager);
      if (!average.isFinite()) {
        kept = withoutBadTasks(iteration, results, average);
        average = average(kept, iterationManager);
      }
      return update(
          iterationManager, plannedIterations, average, meanAccuracy(results, kept, accuracies));
    }
  }

  /**
   * Runs one meta-iteration from hypergradients summed elsewhere (by distributed workers running
   * {@link #solveTasks(int, int, int)} with the current meta-parameters): averages, clips and
   * applies the outer optimizer exactly as {@link #step(int)} does.
   *
   * @param plannedIterations the total planned, for the report
   * @param sum the sum over all tasks of this iteration's meta-batch
   * @return what it measured
   * @throws IllegalArgumentException if the sum does not cover the meta-batch
   * @throws TrainingDivergedException as {@link #train(int, Consumer)}
   */
  public IterationReport step(int plannedIterations, TaskSum sum) {
    if (sum.tasks() != settings.metaBatch) {
      throw new IllegalArgumentException(
          "the hypergradient sum covers "
              + sum.tasks()
              + " tasks but the meta-batch has "
              + settings.metaBatch);
    }
    try (NDManager iterationManager = root.newSubManager()) {
      Variables total = sum.gradient().toVariables(iterationManager, settings.dataType);
      NDArray scale =
          differentiator.constant(iterationManager, 1.0 / sum.tasks(), settings.dataType);
      Variables mean = total.map(g -> g.mul(scale));
      Average average = new Average(sum.upperObjective() / sum.tasks(), mean, norm(mean));
      if (!average.isFinite()) {
        throw diverged(
            String.format(
                Locale.ROOT,
                "iteration %d: the upper-level objective is %s and the hypergradient norm %s (%s),"
                    + " in %s with %s",
                completed + 1,
                average.upper(),
                average.norm(),
                sum.firstBadTask() < 0
                    ? "every task's objective is finite, so a hypergradient is not"
                    : "first in task " + sum.firstBadTask(),
                settings.hypergradientIdentity,
                settings.dynamicsIdentity),
            "");
      }
      return update(iterationManager, plannedIterations, average, Double.NaN);
    }
  }

  /**
   * Computes the hypergradients of tasks {@code from .. to-1} of a meta-iteration with the current
   * meta-parameters, on this learner's workers, and sums them in task order. The tasks are the ones
   * {@link #step(int)} would sample at that iteration.
   *
   * @param iteration the meta-iteration, from 0
   * @param from the first task index
   * @param to one past the last task index
   * @return the sum, as plain arrays
   */
  public TaskSum solveTasks(int iteration, int from, int to) {
    double[] accuracies = new double[settings.metaBatch];
    if (from < 0 || to > settings.metaBatch || from >= to) {
      throw new IllegalArgumentException(
          "tasks " + from + " to " + to + " are not a range in meta-batch " + settings.metaBatch);
    }
    try (NDManager iterationManager = root.newSubManager()) {
      List<Hypergradient> results =
          workers.runOrdered(
              from,
              to,
              (index, device) -> solveTask(iterationManager, iteration, index, device, accuracies));
      int bad = -1;
      for (int i = 0; i < results.size() && bad < 0; i++) {
        bad = Double.isFinite(results.get(i).upperObjective()) ? -1 : from + i;
      }
      return new TaskSum(
          PlainVariables.of(sumInOrder(results)), upperSum(results), results.size(), bad);
    }
  }

  /**
   * Overwrites the meta-parameters, e.g. with the values a distributed driver broadcasts.
   *
   * @param values meta-parameters with the names and shapes of this model and family
   */
  public void assignMetaParameters(PlainVariables values) {
    try (NDManager scratch = root.newSubManager()) {
      copyInto(meta, values.toVariables(scratch, settings.dataType));
    }
  }

  /** The hypergradients summed in task order, on the meta-parameters' device. */
  private Variables sumInOrder(List<Hypergradient> results) {
    Device home = settings.device;
    Variables sum = results.get(0).gradient().map(g -> g.toDevice(home, false));
    for (int i = 1; i < results.size(); i++) {
      sum = sum.zip(results.get(i).gradient(), (a, b) -> a.add(b.toDevice(home, false)));
    }
    return sum;
  }

  private static double upperSum(List<Hypergradient> results) {
    double upper = 0;
    for (Hypergradient result : results) {
      upper += result.upperObjective();
    }
    return upper;
  }

  /** Clips a finite mean hypergradient and applies the outer optimizer. */
  private IterationReport update(
      NDManager iterationManager, int plannedIterations, Average average, double accuracy) {
    int iteration = completed;
    Variables mean = average.gradient();
    double norm = average.norm();
    if (settings.clipNorm > 0 && norm > settings.clipNorm) {
      NDArray factor =
          differentiator.constant(iterationManager, settings.clipNorm / norm, settings.dataType);
      mean = mean.map(g -> g.mul(factor));
    }
    double learningRate =
        settings.metaLearningRate
            * Math.pow(settings.decayRate, Math.floor((double) iteration / settings.decaySteps));
    settings.optimizer.step(meta, mean, learningRate);
    completed++;
    return new IterationReport(
        completed,
        plannedIterations,
        average.upper(),
        accuracy,
        norm,
        learningRate,
        (System.nanoTime() - startNanos) / 1e9,
        null);
  }

  /**
   * Evaluates the meta-parameters: for each of {@code episodes} tasks, measures the metric on its
   * validation split before and after the lower-level dynamics adapt on its training split. The
   * dynamics never see the validation labels: their upper objective is measured on the training
   * split ({@link SupervisedProblem#withoutValidationLabels()}).
   *
   * @param split which tasks to use, normally {@link MetaSplit#TEST}
   * @param episodes how many tasks
   * @param seed fixes the tasks
   * @return mean metric and 95% confidence interval, before and after adaptation
   */
  public Evaluation evaluate(MetaSplit split, int episodes, long seed) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
    }
    boolean fixed = settings.dataset.fixedEpisodes().isPresent();
    int count = fixed ? settings.dataset.fixedEpisodes().getAsInt() : episodes;
    List<double[]> results =
        workers.runOrdered(
            0,
            count,
            (index, device) ->
                evaluateTask(split, fixed ? index : Seeds.task(seed, -1, index), index, device));
    episodes = count;
    double[] before = new double[episodes];
    double[] after = new double[episodes];
    for (int i = 0; i < episodes; i++) {
      before[i] = results.get(i)[0];
      after[i] = results.get(i)[1];
    }
    return new Evaluation(
        Losses.metricName(settings.dataset.taskKind()), Statistic.of(before), Statistic.of(after));
  }

  /** Overwrites the initialized meta-parameters with given values, checking names and shapes. */
  private static void copyInto(Variables target, Variables values) {
    if (!target.nameSet().equals(values.nameSet())) {
      throw new IllegalArgumentException(
          "the saved meta-parameters "
              + values.names()
              + " do not belong to this model and family, whose meta-parameters are "
              + target.names());
    }
    for (String name : target.names()) {
      NDArray into = target.get(name);
      NDArray from = values.get(name);
      if (!into.getShape().equals(from.getShape())) {
        throw new IllegalArgumentException(
            "saved meta-parameter "
                + name
                + " has shape "
                + from.getShape()
                + " but this model's has shape "
                + into.getShape()
                + "; the checkpoint is from another model shape");
      }
      into.set(
          from.toType(into.getDataType(), false).toDevice(into.getDevice(), false).toByteBuffer());
    }
  }

  /**
   * Measures the meta-parameters on {@code episodes} tasks of the validation split after
   * adaptation, as {@link #evaluate} does; the same tasks every time (fixed by the seed alone,
   * independent of the training and test tasks), so that successive measurements are comparable.
   * Training is unaffected: every training task depends only on (seed, iteration, index).
   *
   * @param episodes how many validation tasks
   * @return the mean loss and, for classification, the mean accuracy after adaptation
   */
  public Validation validate(int episodes) {
    if (episodes < 1) {
      throw new IllegalArgumentException("validation episodes must be >= 1, got " + episodes);
    }
    List<double[]> results =
        workers.runOrdered(
            0,
            episodes,
            (index, device) ->
                evaluateTask(
                    MetaSplit.VALIDATION,
                    Seeds.task(settings.seed, VALIDATION, index),
                    index,
                    device));
    double loss = results.stream().mapToDouble(r -> r[2]).average().orElseThrow();
    double metric = results.stream().mapToDouble(r -> r[1]).average().orElseThrow();
    boolean classification = settings.dataset.taskKind() == TaskKind.CLASSIFICATION;
    return new Validation(loss, classification ? metric : Double.NaN, episodes);
  }

  /**
   * Why the dataset cannot draw tasks of a split, if it cannot (a class split may have no
   * meta-validation classes, for example); draws one task to find out.
   *
   * @param split the split
   * @return empty if tasks can be drawn, else the dataset's reason
   */
  public Optional<String> unavailable(MetaSplit split) {
    try (NDManager scratch = root.newSubManager()) {
      settings.dataset.sample(split, Seeds.task(settings.seed, VALIDATION, 0), scratch);
      return Optional.empty();
    } catch (IllegalStateException | IllegalArgumentException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  private Hypergradient solveTask(
      NDManager parent, int iteration, int index, Device device, double[] accuracies) {
    NDManager taskManager = parent.newSubManager(device);
    String where = "iteration " + (iteration + 1) + ", task " + index;
    TrainingTask training = trainingTask(taskManager, iteration, index, where);
    Variables x = training.x();
    SupervisedProblem problem = training.problem();
    try {
      Hypergradient result =
          settings.hypergradient.compute(
              problem,
              new InnerLoopProgress(
                  settings.dynamics, where, settings.innerSteps, System::nanoTime, LOG::info),
              x,
              settings.innerSteps,
              differentiator);
      accuracies[index] = problem.metricAtUpperObjective(result.upperObjective());
      // Keep the gradient, free the task's data, graph and activations now rather than at the end
      // of the meta-iteration, so that at most one task per worker holds its graph at a time.
      result.gradient().values().forEach(g -> g.attach(parent));
      taskManager.close();
      return result;
    } catch (RuntimeException e) {
      throw pluginFault(
          where, settings.hypergradientIdentity + " with " + settings.dynamicsIdentity, e);
    }
  }

  /** A training task's problem, and a copy of the meta-parameters that its gradients reach. */
  private record TrainingTask(Variables x, SupervisedProblem problem) {}

  /** Samples training task {@code index} of an iteration into a task manager, grad mode on. */
  private TrainingTask trainingTask(NDManager taskManager, int iteration, int index, String where) {
    engine.enableGradients();
    long taskSeed = Seeds.task(settings.seed, iteration, index);
    Task task = sample(MetaSplit.TRAIN, taskSeed, taskManager, where);
    Variables x =
        meta.map(
            value -> {
              NDArray leaf = taskCopy(value, taskManager);
              leaf.setRequiresGradient(true);
              return leaf;
            });
    return new TrainingTask(
        x,
        new SupervisedProblem(
            settings.model,
            task,
            settings.dataset.taskKind(),
            settings.layout,
            taskManager,
            taskSeed));
  }

  /**
   * The native memory one inner step keeps while the graph of every step is kept (differentiable
   * steps, as rhg's default strategy and the other methods that back-propagate through the whole
   * inner loop keep them), measured before training on the first task of the first iteration: after
   * the initialization and one step (which loads what a first call loads), further steps are taken
   * until they have kept {@link #PROBE_BYTES} (but at least {@link #PROBE_MIN_STEPS}) or {@link
   * #PROBE_STEPS} steps have run, never more than the run's inner steps; the result is the median
   * of what {@code bytesInUse} grew by in each. The task, its graph and its activations are freed
   * before this returns; the meta-parameters are not touched.
   *
   * @param bytesInUse the native bytes this process has allocated (the command line counts them
   *     with the allocator's own statistics)
   * @return bytes per step, or empty when the learner's device is not the CPU (whose memory the
   *     counter does not see) or the run has fewer than 2 inner steps
   */
  public OptionalLong stepMemory(LongSupplier bytesInUse) {
    if (!Device.Type.CPU.equals(settings.device.getDeviceType()) || settings.innerSteps < 2) {
      return OptionalLong.empty();
    }
    String where = "measuring the memory of an inner step on iteration 1, task 0";
    try (NDManager taskManager = root.newSubManager()) {
      TrainingTask training = trainingTask(taskManager, 0, 0, where);
      Variables x = training.x();
      SupervisedProblem problem = training.problem();
      try {
        Variables y = settings.dynamics.initialize(x, problem, differentiator);
        y = settings.dynamics.step(0, x, y, problem, differentiator, true);
        List<Long> increments = new ArrayList<>();
        long grown = 0;
        long last = bytesInUse.getAsLong();
        while (increments.size() + 1 < settings.innerSteps
            && increments.size() < PROBE_STEPS
            && (increments.size() < PROBE_MIN_STEPS || grown < PROBE_BYTES)) {
          y = settings.dynamics.step(increments.size() + 1, x, y, problem, differentiator, true);
          long now = bytesInUse.getAsLong();
          increments.add(now - last);
          grown += now - last;
          last = now;
        }
        // the median: other threads (the JIT compiler, the garbage collector) allocate and free
        // too, and the counter is the process's, but they rarely do so inside most steps
        Collections.sort(increments);
        return OptionalLong.of(Math.max(0, increments.get(increments.size() / 2)));
      } catch (RuntimeException e) {
        throw pluginFault(where, settings.dynamicsIdentity.toString(), e);
      }
    }
  }

  private double[] evaluateTask(MetaSplit split, long taskSeed, int index, Device device) {
    try (NDManager taskManager = root.newSubManager(device)) {
      engine.enableGradients();
      String where = "evaluation task " + index;
      Task task = sample(split, taskSeed, taskManager, where);
      Model model = modelFor(task);
      Variables x = HeadWidening.widen(meta, model).map(value -> taskCopy(value, taskManager));
      SupervisedProblem problem =
          new SupervisedProblem(
              model,
              task,
              settings.dataset.taskKind(),
              settings.layout.forModel(model),
              taskManager,
              taskSeed);
      SupervisedProblem adaptation = problem.withoutValidationLabels();
      try {
        Variables y = settings.dynamics.initialize(x, adaptation, differentiator);
        double before = problem.validationMetric(x, y);
        for (int t = 0; t < settings.innerSteps; t++) {
          y = settings.dynamics.step(t, x, y, adaptation, differentiator, false);
        }
        double loss = problem.upperObjective(x, y).toType(DataType.FLOAT64, false).getDouble();
        return new double[] {before, problem.validationMetric(x, y), loss};
      } catch (RuntimeException e) {
        throw pluginFault(where, "adaptation with " + settings.dynamicsIdentity, e);
      }
    }
  }

  /** The model for a task's number of classes: the trained one, or one built for M classes. */
  private Model modelFor(Task task) {
    if (settings.dataset.taskKind() != TaskKind.CLASSIFICATION) {
      return settings.model;
    }
    int classes =
        Math.toIntExact(task.train().targets().max().toType(DataType.INT64, false).getLong() + 1);
    if (classes == HeadWidening.outputs(settings.model)) {
      return settings.model;
    }
    if (settings.modelForOutputs == null) {
      throw new IllegalStateException(
          "a task has "
              + classes
              + " classes but the model has "
              + HeadWidening.outputs(settings.model)
              + " outputs; give the builder a modelForOutputs factory");
    }
    return settings.modelForOutputs.apply(classes);
  }

  private Task sample(MetaSplit split, long taskSeed, NDManager manager, String where) {
    Task task;
    try {
      task = settings.dataset.sample(split, taskSeed, manager);
    } catch (RuntimeException e) {
      throw pluginFault(where, "sampling the task from " + datasetIdentity, e);
    }
    return new Task(convert(task.train()), convert(task.validation()));
  }

  private Split convert(Split split) {
    boolean regression = settings.dataset.taskKind() == TaskKind.REGRESSION;
    NDArray targets = split.targets();
    return new Split(toDataType(split.inputs()), regression ? toDataType(targets) : targets);
  }

  private NDArray toDataType(NDArray array) {
    return array.getDataType() == settings.dataType
        ? array
        : array.toType(settings.dataType, false);
  }

  /**
   * A private copy on the task's device; duplicate() where it is the same (toDevice would alias).
   */
  private static NDArray taskCopy(NDArray value, NDManager taskManager) {
    Device device = taskManager.getDevice();
    NDArray copy =
        value.getDevice().equals(device) ? value.duplicate() : value.toDevice(device, true);
    copy.attach(taskManager);
    return copy;
  }

  /** The mean objective and hypergradient of a meta-batch, and the mean's norm. */
  private record Average(double upper, Variables gradient, double norm) {
    boolean isFinite() {
      return Double.isFinite(upper) && Double.isFinite(norm);
    }
  }

  /** The mean query accuracy of the tasks that entered the hypergradient. */
  private static double meanAccuracy(
      List<Hypergradient> results, List<Hypergradient> kept, double[] accuracies) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < results.size(); i++) {
      if (kept.contains(results.get(i))) {
        sum += accuracies[i];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private Average average(List<Hypergradient> results, NDManager manager) {
    NDArray scale = differentiator.constant(manager, 1.0 / results.size(), settings.dataType);
    Variables mean = sumInOrder(results).map(g -> g.mul(scale));
    return new Average(upperSum(results) / results.size(), mean, norm(mean));
  }

  /**
   * The tasks of a meta-batch whose objective and hypergradient are finite, when skipping is on and
   * the cap allows; otherwise stops training.
   */
  private List<Hypergradient> withoutBadTasks(
      int iteration, List<Hypergradient> results, Average average) {
    List<Integer> bad = new ArrayList<>();
    List<Hypergradient> good = new ArrayList<>();
    StringBuilder details = new StringBuilder();
    for (int i = 0; i < results.size(); i++) {
      double upper = results.get(i).upperObjective();
      double norm = norm(results.get(i).gradient());
      if (Double.isFinite(upper) && Double.isFinite(norm)) {
        good.add(results.get(i));
      } else {
        bad.add(i);
        details.append(details.length() == 0 ? "" : ", ");
        details.append(
            String.format(Locale.ROOT, "task %d (objective %s, norm %s)", i, upper, norm));
      }
    }
    String where =
        String.format(
            Locale.ROOT,
            "iteration %d: the upper-level objective is %s and the hypergradient norm %s",
            iteration + 1,
            average.upper(),
            average.norm());
    String modules = settings.hypergradientIdentity + " with " + settings.dynamicsIdentity;
    if (bad.isEmpty()) {
      throw diverged(
          where + ", though every task's is finite (their sum overflows), in " + modules, "");
    }
    String tasks = where + ": " + details + ", in " + modules;
    if (settings.maxSkippedTasks == 0) {
      throw diverged(tasks, ", or --skip-bad-tasks N to skip up to N such tasks with a warning");
    }
    if (good.isEmpty()) {
      throw diverged(tasks + "; every task of the meta-batch is bad, so none can be skipped", "");
    }
    if (skippedTasks + bad.size() > settings.maxSkippedTasks) {
      throw diverged(
          tasks
              + "; "
              + skippedTasks
              + " task(s) were skipped before and "
              + settings.maxSkippedTasks
              + " may be (--skip-bad-tasks)",
          "");
    }
    skippedTasks += bad.size();
    settings.warnings.accept(
        tasks
            + ": skipped ("
            + skippedTasks
            + " of at most "
            + settings.maxSkippedTasks
            + " skipped so far); the step uses the other "
            + good.size()
            + " task(s)");
    return good;
  }

  private TrainingDivergedException diverged(String what, String moreAdvice) {
    return new TrainingDivergedException(
        what
            + "; the meta-parameters keep their values from iteration "
            + completed
            + ". Try a smaller --meta-lr or --inner-lr, or --clip-norm"
            + moreAdvice
            + ".");
  }

  /**
   * An exception thrown inside a plugin, with where it happened, which plugin and where it was
   * thrown.
   */
  private static PluginException pluginFault(String where, String what, RuntimeException error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StackTraceElement[] frames = root.getStackTrace();
    return new PluginException(
        where
            + ": "
            + what
            + " failed: "
            + error.getMessage()
            + " ("
            + root.getClass().getName()
            + (frames.length > 0 ? " at " + frames[0] : "")
            + ")",
        error);
  }

  private static double norm(Variables gradient) {
    double squares = 0;
    for (NDArray g : gradient.values()) {
      squares += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
    }
    return Math.sqrt(squares);
  }

  @Override
  public void close() {
    workers.close();
    root.close();
  }

  /** The validated configuration of a learner. */
  private static final class Settings {
    Dataset dataset;
    Model model;
    IntFunction<Model> modelForOutputs;
    Variables initialMeta;
    Family family = Family.META_INITIALIZATION;
    ModelExtension givenExtension;
    ModelExtension extension;
    ParameterLayout layout;
    IterationModule dynamics;
    PluginIdentity dynamicsIdentity;
    IterationModuleProvider dynamicsProvider;
    Map<String, String> dynamicsOptions = Map.of();
    HypergradientModule hypergradient;
    PluginIdentity hypergradientIdentity;
    HypergradientModuleProvider hypergradientProvider;
    Map<String, String> hypergradientOptions = Map.of();
    PluginRegistry registry;
    int innerSteps = 1;
    int metaBatch = 4;
    OuterOptimizer optimizer = OuterOptimizer.adam();
    double metaLearningRate = 1e-3;
    double decayRate = 1;
    int decaySteps = 1;
    double clipNorm;
    int maxSkippedTasks;
    Consumer<String> warnings = LOG::warn;
    int workers = 1;
    DataType dataType = DataType.FLOAT32;
    Device device;
    List<Device> devices;
    long seed;
  }

  /** Configures a {@link MetaLearner}. */
  public static final class Builder {
    private final Settings settings = new Settings();

    private Builder() {}

    /**
     * The meta-dataset tasks come from (required).
     *
     * @param dataset the dataset
     * @return this builder
     */
    public Builder dataset(Dataset dataset) {
      settings.dataset = Objects.requireNonNull(dataset, "dataset");
      return this;
    }

    /**
     * The model (required).
     *
     * @param model the model
     * @return this builder
     */
    public Builder model(Model model) {
      settings.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Builds the model for another number of classes, for evaluation tasks whose class count
     * differs from the training tasks' (see {@link HeadWidening} for how the head is adapted).
     *
     * @param factory the model for a number of outputs
     * @return this builder
     */
    public Builder modelForOutputs(IntFunction<Model> factory) {
      settings.modelForOutputs = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Starts from saved meta-parameters instead of a fresh initialization.
     *
     * @param values meta-parameters with the names and shapes of this model and family
     * @return this builder
     */
    public Builder initialMetaParameters(Variables values) {
      settings.initialMeta = Objects.requireNonNull(values, "values");
      return this;
    }

    /**
     * Which parameters are meta-parameters.
     *
     * @param family the family
     * @return this builder
     */
    public Builder family(Family family) {
      settings.family = Objects.requireNonNull(family, "family");
      return this;
    }

    /**
     * What the method adds to the model's parameters, for dynamics or a hypergradient given as
     * modules ({@link #dynamics(String, IterationModule)}); providers given with {@link
     * #dynamics(IterationModuleProvider, Map)} or {@link
     * #hypergradient(HypergradientModuleProvider, Map)} supply their own ({@link
     * IterationModuleProvider#modelExtension}).
     *
     * @param extension the extension
     * @return this builder
     */
    public Builder modelExtension(ModelExtension extension) {
      settings.givenExtension = Objects.requireNonNull(extension, "extension");
      return this;
    }

    /**
     * The lower-level dynamics (required).
     *
     * @param name its plugin name, for messages
     * @param dynamics the module
     * @return this builder
     */
    public Builder dynamics(String name, IterationModule dynamics) {
      settings.dynamics = Objects.requireNonNull(dynamics, "dynamics");
      settings.dynamicsIdentity =
          PluginIdentity.of(DYNAMICS, Objects.requireNonNull(name, "name"), dynamics);
      settings.dynamicsProvider = null;
      return this;
    }

    /**
     * The lower-level dynamics from a provider, created by {@link #build()}. When the hypergradient
     * is given by its provider too, {@link #build()} first checks that the two can work together
     * ({@link Compatibility}).
     *
     * @param provider the dynamics' provider
     * @param options its options
     * @return this builder
     */
    public Builder dynamics(IterationModuleProvider provider, Map<String, String> options) {
      settings.dynamicsProvider = Objects.requireNonNull(provider, "provider");
      settings.dynamicsOptions = Map.copyOf(options);
      settings.dynamicsIdentity = PluginIdentity.of(DYNAMICS, provider);
      settings.dynamics = null;
      return this;
    }

    /**
     * The hypergradient computation (required).
     *
     * @param name its plugin name, for messages
     * @param hypergradient the module
     * @return this builder
     */
    public Builder hypergradient(String name, HypergradientModule hypergradient) {
      settings.hypergradient = Objects.requireNonNull(hypergradient, "hypergradient");
      settings.hypergradientIdentity =
          PluginIdentity.of(HYPERGRADIENT, Objects.requireNonNull(name, "name"), hypergradient);
      settings.hypergradientProvider = null;
      return this;
    }

    /**
     * The hypergradient computation from a provider, created by {@link #build()}: with dynamics
     * given by their provider, {@link #build()} refuses a combination the plugins declare
     * impossible ({@link Compatibility}: missing capabilities, too few inner steps for the method,
     * a family whose meta-parameters the method cannot see, shared options that disagree) and sets
     * the method's shared options that are not given to the dynamics' values.
     *
     * @param provider the hypergradient's provider
     * @param options its options
     * @return this builder
     */
    public Builder hypergradient(
        HypergradientModuleProvider provider, Map<String, String> options) {
      settings.hypergradientProvider = Objects.requireNonNull(provider, "provider");
      settings.hypergradientOptions = Map.copyOf(options);
      settings.hypergradientIdentity = PluginIdentity.of(HYPERGRADIENT, provider);
      settings.hypergradient = null;
      return this;
    }

    /**
     * Where the dynamics suggested by a refused combination come from; by default the providers on
     * the module path.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder plugins(PluginRegistry registry) {
      settings.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The number of lower-level steps {@code T}.
     *
     * @param steps {@code T >= 0}
     * @return this builder
     */
    public Builder innerSteps(int steps) {
      settings.innerSteps = atLeast("inner steps", steps, 0);
      return this;
    }

    /**
     * Tasks per meta-iteration.
     *
     * @param tasks at least 1
     * @return this builder
     */
    public Builder metaBatch(int tasks) {
      settings.metaBatch = atLeast("meta-batch", tasks, 1);
      return this;
    }

    /**
     * The outer optimizer and its learning rate.
     *
     * @param optimizer the optimizer
     * @param learningRate a positive step size
     * @return this builder
     */
    public Builder optimizer(OuterOptimizer optimizer, double learningRate) {
      settings.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      settings.metaLearningRate = positive("meta learning rate", learningRate);
      return this;
    }

    /**
     * Decays the outer learning rate: {@code lr * rate^floor(iteration / every)}.
     *
     * @param rate the factor, in {@code (0, 1]}
     * @param every iterations between decays, at least 1
     * @return this builder
     */
    public Builder learningRateDecay(double rate, int every) {
      if (!(rate > 0 && rate <= 1)) {
        throw new IllegalArgumentException("learning-rate decay must be in (0, 1], got " + rate);
      }
      settings.decayRate = rate;
      settings.decaySteps = atLeast("decay interval", every, 1);
      return this;
    }

    /**
     * Clips the mean hypergradient to a maximum Euclidean norm.
     *
     * @param maxNorm a positive norm, or 0 for no clipping
     * @return this builder
     */
    public Builder clipNorm(double maxNorm) {
      if (!(maxNorm >= 0) || !Double.isFinite(maxNorm)) {
        throw new IllegalArgumentException("clip norm must be >= 0, got " + maxNorm);
      }
      settings.clipNorm = maxNorm;
      return this;
    }

    /**
     * Skips tasks whose objective or hypergradient is not finite, with a warning naming the
     * iteration, the task and the modules, instead of stopping; the meta-step then averages the
     * other tasks of the meta-batch. Training still stops when more than {@code maxTasks} tasks
     * have been skipped since the learner was built, or when every task of a meta-batch is bad.
     *
     * @param maxTasks the most tasks to skip; 0 (the default) stops at the first bad task
     * @return this builder
     */
    public Builder skipBadTasks(int maxTasks) {
      settings.maxSkippedTasks = atLeast("skipped tasks", maxTasks, 0);
      return this;
    }

    /**
     * Where warnings go, such as a skipped task's; by default the log.
     *
     * @param sink receives each warning
     * @return this builder
     */
    public Builder warnings(Consumer<String> sink) {
      settings.warnings = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Worker threads that compute the tasks of a meta-batch; results do not depend on it.
     *
     * @param count at least 1
     * @return this builder
     */
    public Builder workers(int count) {
      settings.workers = atLeast("workers", count, 1);
      return this;
    }

    /**
     * The floating-point type of parameters and data.
     *
     * @param dataType {@code FLOAT32} (default) or {@code FLOAT64}
     * @return this builder
     */
    public Builder dataType(DataType dataType) {
      if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
        throw new IllegalArgumentException("data type must be float32 or float64, got " + dataType);
      }
      settings.dataType = dataType;
      return this;
    }

    /**
     * The device of the meta-parameters, where hypergradients are reduced; by default the first of
     * {@link #devices(List)}, else a GPU where the engine has one, else the CPU.
     *
     * @param device the device
     * @return this builder
     */
    public Builder device(Device device) {
      settings.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * The devices that compute tasks: the workers are shared between them (at least one each, see
     * {@link #workers(int)}) and task {@code i} of a meta-batch runs on device {@code i mod D}. By
     * default the meta-parameters' device alone. {@link org.boml.runtime.Devices} parses and checks
     * a user's list.
     *
     * @param devices at least one; a device listed twice gets two pools of workers
     * @return this builder
     */
    public Builder devices(List<Device> devices) {
      if (devices.isEmpty()) {
        throw new IllegalArgumentException("devices must name at least one device");
      }
      settings.devices = List.copyOf(devices);
      return this;
    }

    /**
     * The seed that fixes initialization and every task.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      settings.seed = seed;
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
      requirePresent(settings.dataset, "dataset");
      requirePresent(settings.model, "model");
      createFromProviders(
          settings, Compatibility.ProblemKind.of(settings.family), settings.innerSteps);
      requirePresent(settings.dynamics, "dynamics");
      requirePresent(settings.hypergradient, "hypergradient");
      settings.layout =
          ParameterLayout.of(
              settings.model, settings.family, Optional.ofNullable(settings.extension));
      if (settings.device == null) {
        settings.device =
            settings.devices != null
                ? settings.devices.get(0)
                : ComputeEngines.get().defaultDevice();
      }
      if (settings.devices == null) {
        settings.devices = List.of(settings.device);
      }
      return new MetaLearner(settings);
    }

    /**
     * Checks the combination of providers (when both are given by provider) and creates the modules
     * that are given by provider.
     */
    private static void createFromProviders(
        Settings settings, Compatibility.ProblemKind problem, int steps) {
      Map<String, String> methodOptions = new LinkedHashMap<>(settings.hypergradientOptions);
      if (settings.hypergradientProvider != null && settings.dynamicsProvider != null) {
        Compatibility check =
            new Compatibility(
                settings.hypergradientProvider,
                methodOptions,
                settings.dynamicsProvider,
                settings.dynamicsOptions,
                steps,
                problem,
                List.of());
        if (!check.reasons().isEmpty()) {
          PluginRegistry registry =
              settings.registry != null ? settings.registry : PluginRegistry.discover(List.of());
          new Compatibility(
                  settings.hypergradientProvider,
                  methodOptions,
                  settings.dynamicsProvider,
                  settings.dynamicsOptions,
                  steps,
                  problem,
                  registry.iterations())
              .require();
        }
        methodOptions = check.resolvedMethodOptions();
      }
      List<ModelExtension> extensions = new ArrayList<>();
      if (settings.dynamicsProvider != null) {
        settings.dynamics =
            PluginIdentity.created(
                settings.dynamicsProvider,
                "create",
                settings.dynamicsProvider.create(settings.dynamicsOptions));
        settings
            .dynamicsProvider
            .modelExtension(
                Options.forProvider(settings.dynamicsOptions, settings.dynamicsProvider), steps)
            .ifPresent(extensions::add);
      }
      if (settings.hypergradientProvider != null) {
        settings.hypergradient =
            PluginIdentity.created(
                settings.hypergradientProvider,
                "create",
                settings.hypergradientProvider.create(methodOptions));
        settings
            .hypergradientProvider
            .modelExtension(Options.forProvider(methodOptions, settings.hypergradientProvider))
            .ifPresent(extensions::add);
      }
      if (settings.givenExtension != null) {
        extensions.add(settings.givenExtension);
      }
      if (extensions.size() > 1) {
        throw new IllegalArgumentException(
            "both the dynamics "
                + settings.dynamicsIdentity
                + " and the hypergradient "
                + settings.hypergradientIdentity
                + " add parameters to the model; use at most one method that extends the model");
      }
      settings.extension = extensions.isEmpty() ? null : extensions.get(0);
    }

    private static void requirePresent(Object value, String what) {
      if (value == null) {
        throw new IllegalStateException(
            "MetaLearner needs a " + what + "; call builder()." + what + "(...)");
      }
    }

    private static int atLeast(String what, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
      }
      return value;
    }

    private static double positive(String what, double value) {
      if (!(value > 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(what + " must be a positive number, got " + value);
      }
      return value;
    }
  }
}
