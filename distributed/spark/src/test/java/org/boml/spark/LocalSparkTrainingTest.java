package org.boml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Meta-training on Spark in {@code local[2]}: second-order MAML on sinusoid, float64, gives the
 * meta-parameters of a single-process run up to the order of the hypergradient additions.
 */
class LocalSparkTrainingTest {
  private static final int ITERATIONS = 3;

  /**
   * The bound on |spark - single process| per parameter after 3 Adam steps of 0.01 in float64: the
   * partial sums are added in another order (and in a tree), which changes the last bits of the
   * summed hypergradient, about 1e-16 relative; Adam's first steps divide by sqrt(v), so the
   * parameters move by lr * O(1) and the difference stays near 1e-16 * lr * steps. Measured:
   * 2.8e-17 (not 0: the order does change the bits).
   */
  private static final double BOUND = 1e-12;

  private static JavaSparkContext spark;

  @BeforeAll
  static void start() {
    spark = new JavaSparkContext(Runs.conf("local[2]"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void sparkGivesTheSingleProcessResultUpToSummationOrder() throws Exception {
    Map<String, double[]> single = Runs.singleProcess(Runs.sinusoid(), ITERATIONS);
    Map<String, double[]> distributed;
    try (SparkMetaTrainer trainer = new SparkMetaTrainer(spark, Runs.sinusoid(), Runs.PLUGINS, 3)) {
      Map<String, double[]> initial = Runs.values(trainer.learner());
      trainer.train(ITERATIONS, report -> {});
      assertEquals(ITERATIONS, trainer.learner().completedIterations());
      distributed = Runs.values(trainer.learner());
      assertTrue(
          Runs.maxDifference(initial, distributed) > 1e-4, "training moved the meta-parameters");
    }
    double difference = Runs.maxDifference(single, distributed);
    assertTrue(difference <= BOUND, "spark vs single process: max |difference| " + difference);
  }

  @Test
  void tasksAreSplitIntoContiguousRangesInOrder() {
    List<int[]> ranges = TaskRanges.split(7, 3);
    assertEquals(3, ranges.size());
    assertEquals(List.of(0, 2, 2, 4, 4, 7), flatten(ranges));
    assertEquals(List.of(0, 1, 1, 2), flatten(TaskRanges.split(2, 5)));
  }

  private static List<Integer> flatten(List<int[]> ranges) {
    return ranges.stream().flatMap(r -> java.util.stream.Stream.of(r[0], r[1])).toList();
  }
}
