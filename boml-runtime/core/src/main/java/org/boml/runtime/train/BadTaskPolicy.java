package org.boml.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.boml.api.Hypergradient;

/**
 * What a meta-iteration does when its mean objective or hypergradient is not finite: it skips the
 * tasks whose own objective or hypergradient is not finite, with a warning naming the iteration,
 * the tasks and the modules, while the run's cap allows ({@link
 * MetaLearnerBuilder#skipBadTasks(int)}; the count includes the tasks skipped before a restored
 * checkpoint); otherwise it stops training with a {@link TrainingDivergedException} that states the
 * facts.
 */
final class BadTaskPolicy {
  private final int maxSkipped;
  private final Consumer<String> warnings;
  private final Method method;
  private int skipped;

  BadTaskPolicy(int maxSkipped, Consumer<String> warnings, Method method) {
    this.maxSkipped = maxSkipped;
    this.warnings = warnings;
    this.method = method;
  }

  /** The tasks skipped so far in the run. */
  int skipped() {
    return skipped;
  }

  /** Continues the count of a checkpoint. */
  void restore(int skippedBefore) {
    skipped = skippedBefore;
  }

  /**
   * The tasks of a meta-batch whose objective and hypergradient are finite, when skipping is on and
   * the cap allows; otherwise stops training.
   *
   * @param iteration the iteration, from 0; the meta-parameters keep their values from it
   * @param results every task's result, in task order
   * @param mean their mean, which is not finite
   * @return the good tasks' results
   * @throws TrainingDivergedException if they may not be skipped
   */
  List<Hypergradient> keep(int iteration, List<Hypergradient> results, MetaBatchMean mean) {
    List<Hypergradient> good = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      double upper = results.get(i).upperObjective();
      double norm = MetaBatchMean.norm(results.get(i).gradient());
      if (Double.isFinite(upper) && Double.isFinite(norm)) {
        good.add(results.get(i));
      } else {
        bad.add(String.format(Locale.ROOT, "task %d (objective %s, norm %s)", i, upper, norm));
      }
    }
    String where = where(iteration, mean.upper(), mean.norm());
    if (bad.isEmpty()) {
      throw diverged(
          where + ", though every task's is finite (their sum overflows), in " + method,
          iteration,
          TrainingDivergedException.Reason.OVERFLOW);
    }
    String tasks = where + ": " + String.join(", ", bad) + ", in " + method;
    if (maxSkipped == 0) {
      throw diverged(tasks, iteration, TrainingDivergedException.Reason.BAD_TASKS);
    }
    if (good.isEmpty()) {
      throw diverged(
          tasks + "; every task of the meta-batch is bad, so none can be skipped",
          iteration,
          TrainingDivergedException.Reason.ALL_TASKS_BAD);
    }
    if (skipped + bad.size() > maxSkipped) {
      throw diverged(
          tasks + "; " + skipped + " task(s) were skipped before and " + maxSkipped + " may be",
          iteration,
          TrainingDivergedException.Reason.SKIP_CAP_REACHED);
    }
    skipped += bad.size();
    warnings.accept(
        tasks
            + ": skipped ("
            + skipped
            + " of at most "
            + maxSkipped
            + " skipped so far); the step uses the other "
            + good.size()
            + " task(s)");
    return good;
  }

  /**
   * The error for a mean of summed shares that is not finite ({@link MetaLearner#step(int,
   * TaskSum)}), which knows only the first task with a non-finite objective.
   *
   * @param iteration the iteration, from 0; the meta-parameters keep their values from it
   * @param mean the mean
   * @param firstBadTask the first task whose objective is not finite, or -1
   * @return the error
   */
  TrainingDivergedException notFinite(int iteration, MetaBatchMean mean, int firstBadTask) {
    return diverged(
        where(iteration, mean.upper(), mean.norm())
            + " ("
            + (firstBadTask < 0
                ? "every task's objective is finite, so a hypergradient is not"
                : "first in task " + firstBadTask)
            + "), in "
            + method,
        iteration,
        TrainingDivergedException.Reason.NOT_FINITE);
  }

  /** The iteration (1-based) with its objective and norm. */
  private static String where(int iteration, double upper, double norm) {
    return String.format(
        Locale.ROOT,
        "iteration %d: the upper-level objective is %s and the hypergradient norm %s",
        iteration + 1,
        upper,
        norm);
  }

  /** The error that stops training, the meta-parameters keeping the values of {@code kept}. */
  private static TrainingDivergedException diverged(
      String facts, int kept, TrainingDivergedException.Reason reason) {
    return new TrainingDivergedException(
        facts + "; the meta-parameters keep their values from iteration " + kept + ".", reason);
  }
}
