package org.boml.runtime.train;

import java.util.Objects;

/**
 * A non-finite objective or hypergradient: training stops rather than corrupt the meta-parameters,
 * which keep the values of the last good iteration. The message states the facts (the iteration,
 * the objective and the norm, the bad tasks, the modules) and {@link #reason()} which case it is;
 * what a user may change is for the caller to say in its own terms (a command line names its
 * flags).
 */
public class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which case of divergence stopped training. */
  public enum Reason {
    /** The objective or the hypergradient is not finite (no per-task detail). */
    NOT_FINITE,
    /** Every task's objective and hypergradient is finite, but their sum overflows. */
    OVERFLOW,
    /** Some tasks are bad and no task may be skipped ({@link MetaLearnerBuilder#skipBadTasks}). */
    BAD_TASKS,
    /** Every task of the meta-batch is bad, so none can be skipped. */
    ALL_TASKS_BAD,
    /** Skipping the bad tasks would exceed the run's cap of skipped tasks. */
    SKIP_CAP_REACHED
  }

  /** Which case it is. */
  private final Reason reason;

  /**
   * An error naming where the divergence happened.
   *
   * @param message the iteration, task and module, and what to try
   */
  public TrainingDivergedException(String message) {
    this(message, Reason.NOT_FINITE);
  }

  /**
   * An error naming where the divergence happened, and which case it is.
   *
   * @param message the iteration, tasks and modules
   * @param reason the case
   */
  public TrainingDivergedException(String message, Reason reason) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Which case of divergence stopped training.
   *
   * @return the case
   */
  public Reason reason() {
    return reason;
  }
}
