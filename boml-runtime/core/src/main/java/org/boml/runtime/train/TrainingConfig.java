package org.boml.runtime.train;

import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import java.util.function.Consumer;
import org.boml.runtime.problem.Family;

/**
 * The numeric settings of an outer loop, immutable and validated once, when it is made (a changed
 * configuration is a new one): the builders of {@link MetaLearner} and {@link
 * HyperparameterOptimizer} hold one, so that a bad value is refused where it is set.
 *
 * @param family which parameters are meta-parameters
 * @param innerSteps the lower-level steps {@code T}, at least 0
 * @param metaBatch tasks per meta-iteration, at least 1
 * @param learningRate the outer learning rate of every iteration
 * @param clipNorm the largest norm of the mean hypergradient, or 0 for no clipping
 * @param maxSkippedTasks the most tasks with a non-finite objective or hypergradient to skip; 0
 *     stops at the first
 * @param workers worker threads that compute the tasks of a meta-batch, at least 1
 * @param dataType {@code FLOAT32} or {@code FLOAT64}
 * @param seed the seed that fixes initialization and every task
 */
public record TrainingConfig(
    Family family,
    int innerSteps,
    int metaBatch,
    LearningRateSchedule learningRate,
    double clipNorm,
    int maxSkippedTasks,
    int workers,
    DataType dataType,
    long seed) {

  /**
   * BOML's defaults: meta-initialization, 1 inner step, meta-batch 4, learning rate 1e-3 without
   * decay, no clipping, no skipped tasks, 1 worker, float32, seed 0.
   */
  public static final TrainingConfig DEFAULTS =
      new TrainingConfig(
          Family.META_INITIALIZATION,
          1,
          4,
          LearningRateSchedule.constant(1e-3),
          0,
          0,
          1,
          DataType.FLOAT32,
          0);

  /** Checks every setting. */
  public TrainingConfig {
    Objects.requireNonNull(family, "family");
    Ranges.atLeast("inner steps", innerSteps, 0);
    Ranges.atLeast("meta-batch", metaBatch, 1);
    Objects.requireNonNull(learningRate, "learningRate");
    Ranges.nonNegative("clip norm", clipNorm);
    Ranges.atLeast("skipped tasks", maxSkippedTasks, 0);
    Ranges.atLeast("workers", workers, 1);
    if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
      throw new IllegalArgumentException("data type must be float32 or float64, got " + dataType);
    }
  }

  /**
   * This configuration with some settings changed, checked again.
   *
   * @param change sets the fields to change
   * @return the new configuration
   * @throws IllegalArgumentException if a changed setting is out of range
   */
  TrainingConfig with(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return new TrainingConfig(
        draft.family,
        draft.innerSteps,
        draft.metaBatch,
        draft.learningRate,
        draft.clipNorm,
        draft.maxSkippedTasks,
        draft.workers,
        draft.dataType,
        draft.seed);
  }

  /** The settings of a configuration while some are changed ({@link #with}). */
  static final class Draft {
    Family family;
    int innerSteps;
    int metaBatch;
    LearningRateSchedule learningRate;
    double clipNorm;
    int maxSkippedTasks;
    int workers;
    DataType dataType;
    long seed;

    private Draft(TrainingConfig from) {
      family = from.family;
      innerSteps = from.innerSteps;
      metaBatch = from.metaBatch;
      learningRate = from.learningRate;
      clipNorm = from.clipNorm;
      maxSkippedTasks = from.maxSkippedTasks;
      workers = from.workers;
      dataType = from.dataType;
      seed = from.seed;
    }
  }
}
