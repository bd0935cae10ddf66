package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.MetaSplit;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginException;
import org.boml.runtime.problem.SupervisedProblem;

/**
 * Meta-trains a model on a dataset: every meta-iteration samples a meta-batch of tasks, computes
 * each task's hypergradient on worker threads bound to devices (task {@code i} on device {@code i
 * mod D}, each task in its own memory scope, {@link TaskRunner}), sums them in task order on the
 * meta-parameters' device (so the result does not depend on the number of workers), averages, skips
 * bad tasks where allowed ({@link BadTaskPolicy}), clips, and applies the outer optimizer with the
 * rate of its {@link LearningRateSchedule}.
 *
 * <p>For distributed training, {@link #solveTasks(int, int, int)} computes a share of an
 * iteration's tasks and {@link #step(int, TaskSum)} applies the summed shares.
 *
 * <p>Every task is fixed by (seed, iteration, index), the initial meta-parameters by the seed, so
 * one seed fixes the whole run. Built with {@link #builder()}; close it to free native memory.
 */
public final class MetaLearner implements AutoCloseable {
  private final LearnerParts parts;
  private final TrainingConfig config;
  private final ComputeEngine engine = ComputeEngines.get();
  private final Differentiator differentiator = engine.differentiator();
  private final NDManager root;
  private final Variables meta;
  private final TaskWorkers workers;
  private final List<UpperPassGate> gates;
  private final TaskRunner tasks;
  private final HeldOutTasks heldOut;
  private final BadTaskPolicy badTasks;
  private final long startNanos = System.nanoTime();
  private int completed;

  MetaLearner(LearnerParts parts) {
    this.parts = parts;
    this.config = parts.config();
    engine.prepareThread();
    this.root = NDManager.newBaseManager(parts.device());
    NDManager parameterManager = root.newSubManager();
    this.meta = parts.layout().initialMeta(parameterManager, config.dataType(), config.seed());
    if (parts.initialMeta() != null) {
      SavedValues.copyInto(meta, parts.initialMeta());
    }
    this.workers = new TaskWorkers(parts.devices(), config.workers());
    this.gates =
        UpperPassGate.forPools(
            parts.upperPasses(), engine, parts.devices().size(), config.workers());
    this.tasks = new TaskRunner(parts, engine, meta);
    this.heldOut = new HeldOutTasks(tasks, workers, root, parts.dataset());
    this.badTasks = new BadTaskPolicy(config.maxSkippedTasks(), parts.warnings(), parts.method());
  }

  /**
   * A builder with BOML's defaults ({@link TrainingConfig#DEFAULTS}): meta-initialization family, 1
   * inner step, meta-batch 4, Adam with learning rate 1e-3, no clipping or decay, 1 worker,
   * float32, seed 0.
   *
   * @return a new builder
   */
  public static MetaLearnerBuilder builder() {
    return new MetaLearnerBuilder();
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
   * before a restored checkpoint included (see {@link MetaLearnerBuilder#skipBadTasks(int)}).
   *
   * @return the count
   */
  public int skippedTasks() {
    return badTasks.skipped();
  }

  /**
   * The outer optimizer's state, for checkpoints (see {@link OuterOptimizer#state(Variables)}).
   *
   * @return the state arrays, named {@code <slot>/<parameter>}
   */
  public Variables optimizerState() {
    return parts.optimizer().state(meta);
  }

  /**
   * The outer optimizer's name, for checkpoints (see {@link OuterOptimizer#name()}).
   *
   * @return {@code sgd}, {@code momentum} or {@code adam}
   */
  public String optimizerName() {
    return parts.optimizer().name();
  }

  /**
   * The number of updates the outer optimizer has applied.
   *
   * @return the step count
   */
  public long optimizerSteps() {
    return parts.optimizer().steps();
  }

  /**
   * Continues from a checkpoint: the meta-parameters, the optimizer's state, the iteration count
   * and the tasks skipped so far. Tasks depend only on (seed, iteration, index), so training
   * continued from here gives exactly the meta-parameters of an uninterrupted run, and the cap of
   * {@link MetaLearnerBuilder#skipBadTasks(int)} counts the tasks skipped before the checkpoint
   * too.
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
    SavedValues.copyInto(meta, metaValues);
    parts.optimizer().restore(meta, optimizerState, optimizerSteps);
    this.completed = completedIterations;
    badTasks.restore(skippedTasks);
  }

  /**
   * Runs meta-iterations.
   *
   * @param iterations how many more to run
   * @param listener told after each one
   * @throws TrainingDivergedException if an objective or hypergradient is not finite (beyond what
   *     {@link MetaLearnerBuilder#skipBadTasks(int)} allows); the meta-parameters keep the values
   *     of the last good iteration
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
      double[] accuracies = new double[config.metaBatch()];
      List<Hypergradient> results =
          solve(iterationManager, iteration, 0, config.metaBatch(), accuracies);
      List<Hypergradient> kept = results;
      MetaBatchMean mean = mean(results, iterationManager);
      if (!mean.isFinite()) {
        kept = badTasks.keep(iteration, results, mean);
        mean = mean(kept, iterationManager);
      }
      return update(
          iterationManager,
          plannedIterations,
          mean,
          MetaBatchMean.accuracy(results, kept, accuracies));
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
    if (sum.tasks() != config.metaBatch()) {
      throw new IllegalArgumentException(
          "the hypergradient sum covers "
              + sum.tasks()
              + " tasks but the meta-batch has "
              + config.metaBatch());
    }
    try (NDManager iterationManager = root.newSubManager()) {
      MetaBatchMean mean =
          MetaBatchMean.of(
              sum.gradient().toVariables(iterationManager, config.dataType()),
              sum.upperObjective(),
              sum.tasks(),
              iterationManager,
              differentiator,
              config.dataType());
      if (!mean.isFinite()) {
        throw badTasks.notFinite(completed, mean, sum.firstBadTask());
      }
      return update(iterationManager, plannedIterations, mean, Double.NaN);
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
    if (from < 0 || to > config.metaBatch() || from >= to) {
      throw new IllegalArgumentException(
          "tasks " + from + " to " + to + " are not a range in meta-batch " + config.metaBatch());
    }
    try (NDManager iterationManager = root.newSubManager()) {
      List<Hypergradient> results =
          solve(iterationManager, iteration, from, to, new double[config.metaBatch()]);
      int bad = -1;
      for (int i = 0; i < results.size() && bad < 0; i++) {
        bad = Double.isFinite(results.get(i).upperObjective()) ? -1 : from + i;
      }
      return new TaskSum(
          PlainVariables.of(MetaBatchMean.sumInOrder(results, parts.device())),
          MetaBatchMean.upperSum(results),
          results.size(),
          bad);
    }
  }

  /**
   * Overwrites the meta-parameters, e.g. with the values a distributed driver broadcasts.
   *
   * @param values meta-parameters with the names and shapes of this model and family
   */
  public void assignMetaParameters(PlainVariables values) {
    try (NDManager scratch = root.newSubManager()) {
      SavedValues.copyInto(meta, values.toVariables(scratch, config.dataType()));
    }
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
    return heldOut.evaluate(split, episodes, seed);
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
    return heldOut.validate(episodes, config.seed());
  }

  /**
   * Why the dataset cannot draw tasks of a split, if it cannot (a class split may have no
   * meta-validation classes, for example); draws one task to find out.
   *
   * @param split the split
   * @return empty if tasks can be drawn, else the dataset's reason
   */
  public Optional<String> unavailable(MetaSplit split) {
    return heldOut.unavailable(split, config.seed());
  }

  /**
   * The native memory one inner step keeps while the graph of every step is kept (differentiable
   * steps, as rhg's default strategy and the other methods that back-propagate through the whole
   * inner loop keep them), measured before training on the first task of the first iteration (see
   * {@link StepMemoryProbe}). The meta-parameters are not touched.
   *
   * @param bytesInUse the native bytes this process has allocated (the command line counts them
   *     with the allocator's own statistics)
   * @return bytes per step, or empty when the learner's device is not the CPU (whose memory the
   *     counter does not see) or the run has fewer than 2 inner steps
   */
  public OptionalLong stepMemory(LongSupplier bytesInUse) {
    return StepMemoryProbe.measure(tasks, root, parts, differentiator, bytesInUse);
  }

  @Override
  public void close() {
    workers.close();
    root.close();
  }

  /** The hypergradients of tasks {@code from .. to-1} of an iteration, in task order. */
  private List<Hypergradient> solve(
      NDManager iterationManager, int iteration, int from, int to, double[] accuracies) {
    return workers.runOrdered(
        from,
        to,
        (index, device) ->
            tasks.solve(
                iterationManager,
                iteration,
                index,
                device,
                accuracies,
                gates.get(index % gates.size())));
  }

  private MetaBatchMean mean(List<Hypergradient> results, NDManager manager) {
    return MetaBatchMean.of(results, parts.device(), manager, differentiator, config.dataType());
  }

  /** Clips a finite mean hypergradient and applies the outer optimizer at the scheduled rate. */
  private IterationReport update(
      NDManager iterationManager, int plannedIterations, MetaBatchMean mean, double accuracy) {
    Variables gradient = mean.gradient();
    double norm = mean.norm();
    if (config.clipNorm() > 0 && norm > config.clipNorm()) {
      NDArray factor =
          differentiator.constant(iterationManager, config.clipNorm() / norm, config.dataType());
      gradient = gradient.map(g -> g.mul(factor));
    }
    double learningRate = config.learningRate().at(completed);
    parts.optimizer().step(meta, gradient, learningRate);
    completed++;
    return new IterationReport(
        completed,
        plannedIterations,
        mean.upper(),
        accuracy,
        norm,
        learningRate,
        (System.nanoTime() - startNanos) / 1e9,
        null);
  }
}
