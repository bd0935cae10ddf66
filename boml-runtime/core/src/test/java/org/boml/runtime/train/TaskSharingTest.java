package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.boml.plugins.standardmodels.Mlp;
import org.junit.jupiter.api.Test;

/**
 * Sharing a meta-batch: between worker pools bound to devices (here several CPU pools, the only
 * devices this build has), and between learners that each solve a range of the tasks and send plain
 * sums, as distributed workers do. Same seed, same tasks; float64 on the linear tasks of {@link
 * MetaLearnerTest} with a hidden layer.
 */
class TaskSharingTest {
  private static final int ITERATIONS = 4;

  private static MetaLearnerBuilder learner() {
    return MetaLearnerTest.linearLearner(
            MetaLearnerTest.linearDataset(new AtomicInteger(), Integer.MAX_VALUE),
            MetaLearnerTest.rhgLike())
        .model(new Mlp(1, List.of(8), 1))
        .metaBatch(5);
  }

  private static Map<String, double[]> values(MetaLearner learner) {
    Map<String, double[]> copy = new LinkedHashMap<>();
    learner.metaParameters().asMap().forEach((name, a) -> copy.put(name, a.toDoubleArray()));
    return copy;
  }

  private static Map<String, double[]> train(
      MetaLearnerBuilder builder, Function<MetaLearner, TaskSum> sums) {
    try (MetaLearner learner = builder.build()) {
      for (int i = 0; i < ITERATIONS; i++) {
        if (sums == null) {
          learner.step(ITERATIONS);
        } else {
          learner.step(ITERATIONS, sums.apply(learner));
        }
      }
      return values(learner);
    }
  }

  private static void assertSameBits(Map<String, double[]> a, Map<String, double[]> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((name, values) -> assertArrayEquals(values, b.get(name), 0, name));
  }

  @Test
  void workersSpreadOverSeveralDevicesGiveTheResultOfOne() {
    Map<String, double[]> one = train(learner().workers(1), null);
    Map<String, double[]> cpuWorkers = train(learner().workers(3), null);
    Map<String, double[]> twoPools =
        train(learner().devices(List.of(Device.cpu(), Device.cpu())).workers(3), null);
    assertSameBits(one, cpuWorkers);
    assertSameBits(one, twoPools);
  }

  @Test
  void aSumOfAllTasksAppliedByStepGivesTheLocalResultBitForBit() {
    Map<String, double[]> local = train(learner(), null);
    Map<String, double[]> summed =
        train(learner(), l -> l.solveTasks(l.completedIterations(), 0, 5));
    assertSameBits(local, summed);
  }

  /**
   * Ranges summed separately, then added (as a tree of partial sums is): the same up to the order
   * of float64 additions, which after 4 Adam steps of 0.05 stays below 1e-12 here.
   */
  @Test
  void rangesSummedSeparatelyAgreeUpToSummationOrder() {
    Map<String, double[]> local = train(learner(), null);
    Map<String, double[]> ranges =
        train(
            learner(),
            l -> {
              int it = l.completedIterations();
              return l.solveTasks(it, 3, 5)
                  .plus(TaskSum.empty())
                  .plus(l.solveTasks(it, 0, 2).plus(l.solveTasks(it, 2, 3)));
            });
    local.forEach((name, values) -> assertArrayEquals(values, ranges.get(name), 1e-12, name));
    try (MetaLearner fresh = learner().build()) {
      assertFalse(
          java.util.Arrays.equals(values(fresh).get("head.weight"), local.get("head.weight")),
          "training moved the parameters");
    }
  }

  @Test
  void solvedTasksAreTheTasksOfTheIteration() {
    try (MetaLearner a = learner().build();
        MetaLearner b = learner().build()) {
      TaskSum first = a.solveTasks(0, 0, 2);
      assertEquals(2, first.tasks());
      assertEquals(-1, first.firstBadTask());
      TaskSum again = b.solveTasks(0, 0, 2);
      assertArrayEquals(
          first.gradient().values("head.weight"), again.gradient().values("head.weight"), 0);
      TaskSum later = b.solveTasks(1, 0, 2);
      assertFalse(
          java.util.Arrays.equals(
              first.gradient().values("head.weight"), later.gradient().values("head.weight")),
          "another iteration samples other tasks");
      assertThrows(IllegalArgumentException.class, () -> a.solveTasks(0, 3, 6));
      assertThrows(IllegalArgumentException.class, () -> a.step(1, first));
    }
  }

  @Test
  void assignedMetaParametersAreUsed() {
    try (MetaLearner driver = learner().build();
        MetaLearner worker = learner().seed(99).build()) {
      driver.step(1);
      worker.assignMetaParameters(PlainVariables.of(driver.metaParameters()));
      assertSameBits(values(driver), values(worker));
    }
  }
}
