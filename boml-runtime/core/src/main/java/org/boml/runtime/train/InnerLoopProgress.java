package org.boml.runtime.train;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * The dynamics of one task, unchanged, with a progress line for long inner loops: when a step ends
 * {@link #INTERVAL_NANOS} or more after the last line (or the start), it says which step of how
 * many the task has reached. A meta-iteration otherwise says nothing until every task is done,
 * which with {@code --inner-steps 100000} is many minutes. One instance serves one task on one
 * thread.
 */
final class InnerLoopProgress implements IterationModule {
  /** Ten seconds between lines. */
  static final long INTERVAL_NANOS = 10_000_000_000L;

  private final IterationModule dynamics;
  private final String where;
  private final int steps;
  private final LongSupplier clock;
  private final Consumer<String> log;
  private long last;

  /**
   * The dynamics with progress lines.
   *
   * @param dynamics what runs each step
   * @param where the task, for the line (e.g. "iteration 1, task 0")
   * @param steps the inner steps T
   * @param clock nanoseconds
   * @param log where the lines go
   */
  InnerLoopProgress(
      IterationModule dynamics, String where, int steps, LongSupplier clock, Consumer<String> log) {
    this.dynamics = dynamics;
    this.where = where;
    this.steps = steps;
    this.clock = clock;
    this.log = log;
    this.last = clock.getAsLong();
  }

  @Override
  public Variables initialize(Variables x, BilevelProblem problem, Differentiator differentiator) {
    return dynamics.initialize(x, problem, differentiator);
  }

  @Override
  public Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable) {
    Variables next = dynamics.step(step, x, y, problem, differentiator, differentiable);
    long now = clock.getAsLong();
    if (now - last >= INTERVAL_NANOS) {
      last = now;
      log.accept(String.format(Locale.ROOT, "%s: inner step %d of %d", where, step + 1, steps));
    }
    return next;
  }
}
