package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.boml.runtime.train.TrainingDivergedException;
import org.boml.runtime.train.TrainingDivergedException.Reason;
import org.junit.jupiter.api.Test;

/** The learner states the facts of a divergence; {@code boml train} adds the flags to try. */
class DivergenceAdviceTest {
  private static final String FACTS =
      "iteration 2: the upper-level objective is NaN and the hypergradient norm NaN: task 0"
          + " (objective NaN, norm NaN), in rhg with gd; the meta-parameters keep their values"
          + " from iteration 1.";

  @Test
  void badTasksWithoutSkippingSuggestSkipping() {
    assertEquals(
        FACTS
            + " Try a smaller --meta-lr or --inner-lr, or --clip-norm, or --skip-bad-tasks N to"
            + " skip up to N such tasks with a warning.",
        TrainCommand.withAdvice(new TrainingDivergedException(FACTS, Reason.BAD_TASKS)));
  }

  @Test
  void otherCasesNameTheLearningRatesAndClipping() {
    assertEquals(
        FACTS + " Try a smaller --meta-lr or --inner-lr, or --clip-norm.",
        TrainCommand.withAdvice(new TrainingDivergedException(FACTS, Reason.OVERFLOW)));
    assertEquals(
        FACTS
            + " Try a smaller --meta-lr or --inner-lr, or --clip-norm, or a larger"
            + " --skip-bad-tasks.",
        TrainCommand.withAdvice(new TrainingDivergedException(FACTS, Reason.SKIP_CAP_REACHED)));
  }

  @Test
  void otherErrorsKeepTheirMessage() {
    assertEquals("disk full", TrainCommand.withAdvice(new IllegalStateException("disk full")));
  }
}
