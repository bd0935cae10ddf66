package org.boml.metarl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.boml.api.Variables;
import org.boml.engine.pytorch.Engines;
import org.junit.jupiter.api.Test;

/**
 * The policy computes one function twice, in Java to sample and with arrays to differentiate: the
 * log-density of the Java mean action must be {@code -sum(logStd)}, and of a displaced action the
 * closed form of the Gaussian.
 */
class PolicyTest {
  static <T> T withManager(Function<NDManager, T> body) {
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
      return body.apply(manager);
    }
  }

  @Test
  void theJavaMeanIsTheMeanOfTheDifferentiableDensity() {
    withManager(
        manager -> {
          GaussianMlpPolicy policy = new GaussianMlpPolicy(2, List.of(7, 4), 2);
          SplittableRandom random = new SplittableRandom(3);
          Variables x =
              policy
                  .initialize(manager, DataType.FLOAT64, 1)
                  .map(
                      value ->
                          value.add(
                              Arrays64.engineOwned(
                                  manager,
                                  random.doubles(value.size(), -0.3, 0.3).toArray(),
                                  value.getShape(),
                                  DataType.FLOAT64)));
          GaussianMlpPolicy.Sampler sampler = policy.sampler(x);
          double[] logStd = Arrays64.values(x.get(GaussianMlpPolicy.LOG_STD));
          int n = 5;
          double[] observations = random.doubles(2L * n, -1, 1).toArray();
          double[] means = new double[2 * n];
          double[] displaced = new double[2 * n];
          double[] expected = new double[n];
          for (int i = 0; i < n; i++) {
            double[] mean =
                sampler.mean(new double[] {observations[2 * i], observations[2 * i + 1]});
            expected[i] = -logStd[0] - logStd[1];
            for (int j = 0; j < 2; j++) {
              means[2 * i + j] = mean[j];
              double delta = 0.1 * (j + 1) * (i - 2);
              displaced[2 * i + j] = mean[j] + delta;
              expected[i] -= 0.5 * Math.pow(delta / Math.exp(logStd[j]), 2);
            }
          }
          NDArray states =
              Arrays64.engineOwned(manager, observations, new Shape(n, 2), DataType.FLOAT64);
          double[] atMean =
              Arrays64.values(
                  policy.logLikelihood(
                      x,
                      states,
                      Arrays64.engineOwned(manager, means, new Shape(n, 2), DataType.FLOAT64)));
          double[] atDisplaced =
              Arrays64.values(
                  policy.logLikelihood(
                      x,
                      states,
                      Arrays64.engineOwned(manager, displaced, new Shape(n, 2), DataType.FLOAT64)));
          for (int i = 0; i < n; i++) {
            assertEquals(-logStd[0] - logStd[1], atMean[i], 1e-12, "row " + i);
            assertEquals(expected[i], atDisplaced[i], 1e-12, "row " + i);
          }
          return null;
        });
  }
}
