package org.boml.runtime.train;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A training listener that measures the learner on validation tasks every {@code every} iterations
 * ({@link MetaLearner#validate}) and passes each report on with the measurement attached ({@link
 * IterationReport#validation()}), so that a log or a progress bar downstream sees it:
 *
 * <pre>{@code
 * learner.train(1000, new PeriodicValidation(learner, 100, 20, log::append));
 * }</pre>
 *
 * <p>Iterations are counted from the start of the run, so a resumed run validates at the same
 * iterations as an uninterrupted one.
 */
public final class PeriodicValidation implements Consumer<IterationReport> {
  private final MetaLearner learner;
  private final int every;
  private final int episodes;
  private final Consumer<IterationReport> next;

  /**
   * A listener that validates periodically.
   *
   * @param learner the learner to measure
   * @param every iterations between measurements; 0 for none
   * @param episodes validation tasks per measurement, at least 1
   * @param next told after each iteration, with the measurement when one was made
   */
  public PeriodicValidation(
      MetaLearner learner, int every, int episodes, Consumer<IterationReport> next) {
    if (every < 0) {
      throw new IllegalArgumentException("validation interval must be >= 0, got " + every);
    }
    if (every > 0 && episodes < 1) {
      throw new IllegalArgumentException("validation episodes must be >= 1, got " + episodes);
    }
    this.learner = Objects.requireNonNull(learner, "learner");
    this.every = every;
    this.episodes = episodes;
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public void accept(IterationReport report) {
    boolean due = every > 0 && report.iteration() % every == 0;
    next.accept(due ? report.withValidation(learner.validate(episodes)) : report);
  }
}
