package org.boml.plugins.mtnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/** The straight-through Gumbel-softmax mask estimator, in float64. */
class MaskSamplerTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final double[] LOGITS = {-2, 0, 1.5};

  private static NDArray logits(NDManager manager) {
    return D.leaf(manager.create(LOGITS));
  }

  @Test
  void samplesAreBinaryWithProbabilitySigmoidOfTheLogit() {
    TestKit.startEngine();
    int samples = 3000;
    double[] ones = new double[LOGITS.length];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray zeta = logits(manager);
      for (int k = 0; k < samples; k++) {
        try (NDManager scope = manager.newSubManager()) {
          double[] mask = MaskSampler.sample(zeta, 0.5, k, D, scope).toDoubleArray();
          for (int i = 0; i < mask.length; i++) {
            assertTrue(mask[i] == 0 || mask[i] == 1, "not binary: " + mask[i]);
            ones[i] += mask[i];
          }
        }
      }
    }
    for (int i = 0; i < LOGITS.length; i++) {
      double expected = 1 / (1 + Math.exp(-LOGITS[i]));
      // 4 standard errors of a Bernoulli mean over 3000 samples is at most 0.037
      assertEquals(expected, ones[i] / samples, 0.037, "logit " + LOGITS[i]);
    }
  }

  @Test
  void theGradientIsTheRelaxedSamplesAndTheSeedFixesTheMask() {
    TestKit.startEngine();
    double temperature = 0.7;
    long seed = 42;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray zeta = logits(manager);
      NDArray mask = MaskSampler.sample(zeta, temperature, seed, D, manager);
      assertArrayEquals(
          mask.toDoubleArray(),
          MaskSampler.sample(zeta, temperature, seed, D, manager).toDoubleArray());
      double[] weights = {0.3, -1.2, 2.0};
      NDArray weighted = mask.mul(manager.create(weights)).sum();
      double[] gradient = D.gradient(weighted, List.of(zeta), false).get(0).toDoubleArray();
      double[] noise = MaskSampler.noise(seed, LOGITS.length);
      for (int i = 0; i < LOGITS.length; i++) {
        double s = 1 / (1 + Math.exp(-(LOGITS[i] + noise[i]) / temperature));
        assertEquals(weights[i] * s * (1 - s) / temperature, gradient[i], 1e-12);
        assertEquals(LOGITS[i] + noise[i] > 0 ? 1 : 0, mask.toDoubleArray()[i]);
      }
      assertEquals(DataType.FLOAT64, mask.getDataType());
    }
  }
}
