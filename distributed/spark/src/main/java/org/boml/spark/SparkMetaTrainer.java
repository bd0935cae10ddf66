package org.boml.spark;

import com.google.gson.Gson;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.boml.api.DatasetException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.PlainVariables;
import org.boml.runtime.train.TaskSum;

/**
 * Meta-training on Apache Spark. The driver owns the meta-parameters and the outer optimizer (a
 * {@link MetaLearner} built from the run's configuration, as {@code boml train} builds it). Every
 * meta-iteration broadcasts the meta-parameters as plain arrays; each partition solves a contiguous
 * range of the meta-batch on an executor ({@link MetaLearner#solveTasks}, the tasks and seeds of a
 * single-process run); the partial sums come back by tree aggregation, and the driver averages,
 * clips and steps ({@link MetaLearner#step(int, TaskSum)}).
 *
 * <p>The result equals a single-process run's up to the order of the float additions that sum the
 * hypergradients (partial sums are added in double precision).
 */
public final class SparkMetaTrainer implements AutoCloseable {
  private final JavaSparkContext spark;
  private final RunSpec spec;
  private final int partitions;
  private final String run = UUID.randomUUID().toString();
  private final Assembly assembly;
  private final MetaLearner learner;
  private final String specJson;

  /**
   * Builds the driver's learner; executors build theirs on first use.
   *
   * @param spark the Spark context
   * @param spec the run's configuration (its {@code versions} are filled in)
   * @param registry where the driver finds the plugins; executors discover theirs on the module
   *     path
   * @param partitions how many ranges each meta-batch is split into (at most one per task)
   * @throws DatasetException if the dataset cannot be opened
   */
  public SparkMetaTrainer(
      JavaSparkContext spark, RunSpec spec, PluginRegistry registry, int partitions)
      throws DatasetException {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.spark = spark;
    this.spec = spec;
    this.partitions = partitions;
    this.assembly = Assembly.forTraining(spec, registry);
    try {
      this.learner = assembly.learner().workers(1).build();
    } catch (RuntimeException e) {
      assembly.close();
      throw e;
    }
    this.specJson = new Gson().toJson(spec);
  }

  /**
   * The driver's learner: its meta-parameters and optimizer state are the run's.
   *
   * @return the learner
   */
  public MetaLearner learner() {
    return learner;
  }

  /**
   * The plugins of the run, as the driver opened them.
   *
   * @return the assembly
   */
  public Assembly assembly() {
    return assembly;
  }

  /**
   * Runs meta-iterations on the cluster.
   *
   * @param iterations how many more
   * @param listener told after each one
   */
  public void train(int iterations, Consumer<IterationReport> listener) {
    int target = learner.completedIterations() + iterations;
    while (learner.completedIterations() < target) {
      listener.accept(step(target));
    }
  }

  /**
   * One meta-iteration on the cluster.
   *
   * @param plannedIterations the total planned, for the report
   * @return what it measured
   */
  public IterationReport step(int plannedIterations) {
    int iteration = learner.completedIterations();
    Broadcast<PlainVariables> meta = spark.broadcast(PlainVariables.of(learner.metaParameters()));
    try {
      TaskSum sum =
          spark
              .parallelize(TaskRanges.split(spec.metaBatch, partitions), partitions)
              .map(solver(run, specJson, meta, iteration))
              .treeAggregate(TaskSum.empty(), TaskSum::plus, TaskSum::plus);
      return learner.step(plannedIterations, sum);
    } finally {
      meta.destroy();
    }
  }

  /** The executors' work; static, so that the closure captures only what it names. */
  private static Function<int[], TaskSum> solver(
      String run, String specJson, Broadcast<PlainVariables> meta, int iteration) {
    return range ->
        ExecutorLearners.solve(run, specJson, meta.value(), iteration, range[0], range[1]);
  }

  @Override
  public void close() {
    ExecutorLearners.release(run);
    learner.close();
    assembly.close();
  }
}
