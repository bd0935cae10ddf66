package org.boml.plugins.mtnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.SplittableRandom;
import org.boml.api.Differentiator;

/**
 * Binary masks {@code m ~ Bernoulli(sigmoid(zeta))} with the straight-through Gumbel-softmax
 * estimator (Jang, Gu and Poole 2017; used by MT-net): with logistic noise {@code L = log U - log(1
 * - U)}, {@code U ~ Uniform(0, 1)},
 *
 * <pre>
 *   s = sigmoid((zeta + L) / tau),   h = 1[zeta + L > 0],   m = h + s - stopgrad(s)
 * </pre>
 *
 * so the value of {@code m} is the binary sample {@code h} (exactly Bernoulli with probability
 * {@code sigmoid(zeta)}) and its derivative is that of the relaxed sample {@code s}: {@code
 * dm/dzeta = s (1 - s) / tau}. The noise is drawn from a seed, so the same seed gives the same
 * mask.
 */
final class MaskSampler {
  private MaskSampler() {}

  /**
   * The logistic noise {@code L} for a seed.
   *
   * @param seed fixes the noise
   * @param size the number of entries
   * @return {@code log U - log(1 - U)} per entry
   */
  static double[] noise(long seed, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] noise = new double[size];
    for (int i = 0; i < size; i++) {
      double u = random.nextDouble();
      while (u == 0) {
        u = random.nextDouble();
      }
      noise[i] = Math.log(u) - Math.log1p(-u);
    }
    return noise;
  }

  /**
   * A straight-through sample of the mask.
   *
   * @param logits {@code zeta}
   * @param temperature {@code tau > 0}
   * @param seed fixes the noise
   * @param differentiator for graph-safe constants
   * @param manager where the noise and constants are created
   * @return {@code m}: binary values, the relaxed sample's gradient
   */
  static NDArray sample(
      NDArray logits,
      double temperature,
      long seed,
      Differentiator differentiator,
      NDManager manager) {
    NDArray noise;
    try (NDArray javaBacked =
        manager.create(noise(seed, Math.toIntExact(logits.size())), logits.getShape())) {
      noise = javaBacked.toType(logits.getDataType(), false).duplicate();
    }
    NDArray inverse = differentiator.constant(manager, 1 / temperature, logits.getDataType());
    NDArray perturbed = logits.add(noise);
    NDArray soft = Activation.sigmoid(perturbed.mul(inverse));
    NDArray hard =
        perturbed
            .stopGradient()
            .gt(manager.zeros(logits.getShape(), logits.getDataType()))
            .toType(logits.getDataType(), false);
    return soft.sub(soft.stopGradient()).add(hard);
  }
}
