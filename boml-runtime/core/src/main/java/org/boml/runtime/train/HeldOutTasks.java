package org.boml.runtime.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.TaskKind;
import org.boml.runtime.problem.Losses;

/**
 * Measures a {@link MetaLearner}'s meta-parameters on tasks it does not train on: the test tasks
 * ({@link MetaLearner#evaluate}), and the validation tasks, the same every time, fixed by the seed
 * alone ({@link MetaLearner#validate}).
 *
 * @param tasks runs each task
 * @param workers the learner's workers
 * @param root the learner's memory, under which each task has its own scope
 * @param dataset where the tasks come from
 */
record HeldOutTasks(TaskRunner tasks, TaskWorkers workers, NDManager root, Dataset dataset) {
  /** The pseudo-iteration that fixes the validation tasks (training uses 0, 1, ...; tests -1). */
  private static final long VALIDATION = -2;

  /** See {@link MetaLearner#evaluate}. */
  Evaluation evaluate(MetaSplit split, int episodes, long evaluationSeed) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
    }
    boolean fixed = dataset.fixedEpisodes().isPresent();
    int count = fixed ? dataset.fixedEpisodes().getAsInt() : episodes;
    List<double[]> results =
        workers.runOrdered(
            0,
            count,
            (index, device) ->
                tasks.evaluate(
                    root,
                    split,
                    fixed ? index : Seeds.task(evaluationSeed, -1, index),
                    index,
                    device));
    double[] before = new double[count];
    double[] after = new double[count];
    for (int i = 0; i < count; i++) {
      before[i] = results.get(i)[0];
      after[i] = results.get(i)[1];
    }
    return new Evaluation(
        Losses.metricName(dataset.taskKind()), Statistic.of(before), Statistic.of(after));
  }

  /** See {@link MetaLearner#validate}. */
  Validation validate(int episodes, long seed) {
    if (episodes < 1) {
      throw new IllegalArgumentException("validation episodes must be >= 1, got " + episodes);
    }
    List<double[]> results =
        workers.runOrdered(
            0,
            episodes,
            (index, device) ->
                tasks.evaluate(
                    root,
                    MetaSplit.VALIDATION,
                    Seeds.task(seed, VALIDATION, index),
                    index,
                    device));
    double loss = results.stream().mapToDouble(r -> r[2]).average().orElseThrow();
    double metric = results.stream().mapToDouble(r -> r[1]).average().orElseThrow();
    boolean classification = dataset.taskKind() == TaskKind.CLASSIFICATION;
    return new Validation(loss, classification ? metric : Double.NaN, episodes);
  }

  /** See {@link MetaLearner#unavailable}. */
  Optional<String> unavailable(MetaSplit split, long seed) {
    try (NDManager scratch = root.newSubManager()) {
      dataset.sample(split, Seeds.task(seed, VALIDATION, 0), scratch);
      return Optional.empty();
    } catch (IllegalStateException | IllegalArgumentException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }
}
