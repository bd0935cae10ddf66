package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.runtime.train.MetaLearner;
import org.junit.jupiter.api.Test;

/**
 * One seed fixes a whole run: second-order MAML (rhg) on sinusoid in float64 gives bit-for-bit the
 * same meta-parameters whatever the number of worker threads and however often it is repeated.
 */
class DeterminismIT {
  private static final int ITERATIONS = 5;

  @Test
  void workersDoNotChangeTheResult() throws DatasetException {
    Map<String, double[]> one = train(11, 1, ITERATIONS);
    Map<String, double[]> three = train(11, 3, ITERATIONS);
    assertTrue(sameBits(one, three), () -> "1 worker vs 3 workers: " + describe(one, three));
  }

  @Test
  void theSameSeedGivesTheSameResult() throws DatasetException {
    Map<String, double[]> first = train(12, 2, ITERATIONS);
    Map<String, double[]> second = train(12, 2, ITERATIONS);
    assertTrue(sameBits(first, second), () -> "two runs with seed 12: " + describe(first, second));
  }

  @Test
  void anotherSeedGivesAnotherResult() throws DatasetException {
    Map<String, double[]> a = train(13, 2, ITERATIONS);
    Map<String, double[]> b = train(14, 2, ITERATIONS);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertFalse(
          Arrays.equals(a.get(name), b.get(name)), () -> name + " is the same for seeds 13 and 14");
    }
  }

  /** Guards the tests above against comparing parameters that training never touched. */
  @Test
  void trainingMovesEveryMetaParameter() throws DatasetException {
    Map<String, double[]> initial = train(15, 2, 0);
    Map<String, double[]> trained = train(15, 2, ITERATIONS);
    assertEquals(initial.keySet(), trained.keySet());
    for (String name : initial.keySet()) {
      assertFalse(
          Arrays.equals(initial.get(name), trained.get(name)),
          () -> name + " did not change in training");
    }
  }

  /** Trains and returns a copy of the meta-parameters. */
  private static Map<String, double[]> train(long seed, int workers, int iterations)
      throws DatasetException {
    try (Dataset data = SinusoidTraining.openSinusoid();
        MetaLearner learner =
            SinusoidTraining.learner(data, "rhg", Map.of(), 0.01)
                .dataType(DataType.FLOAT64)
                .metaBatch(6)
                .workers(workers)
                .seed(seed)
                .build()) {
      learner.train(iterations, report -> {});
      Map<String, double[]> values = new LinkedHashMap<>();
      learner
          .metaParameters()
          .asMap()
          .forEach((name, array) -> values.put(name, array.toDoubleArray()));
      assertFalse(values.isEmpty(), "no meta-parameters");
      return values;
    }
  }

  private static boolean sameBits(Map<String, double[]> a, Map<String, double[]> b) {
    return a.keySet().equals(b.keySet())
        && a.keySet().stream().allMatch(name -> Arrays.equals(a.get(name), b.get(name)));
  }

  /** Where two sets of parameters first differ. */
  private static String describe(Map<String, double[]> a, Map<String, double[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return "names " + a.keySet() + " vs " + b.keySet();
    }
    for (String name : a.keySet()) {
      int index = Arrays.mismatch(a.get(name), b.get(name));
      if (index >= 0) {
        return name
            + "["
            + index
            + "]: "
            + valueAt(a.get(name), index)
            + " vs "
            + valueAt(b.get(name), index);
      }
    }
    return "identical";
  }

  private static String valueAt(double[] values, int index) {
    return index < values.length ? Double.toString(values[index]) : "(none)";
  }
}
