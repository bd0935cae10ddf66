package org.boml.plugins.mtnet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * MT-net's lower level (Lee and Choi 2018, section 4): gradient descent on the task layers' weights
 * restricted to the units the masks select,
 *
 * <pre>
 *   y_0 = (W_0, M),  M_l = mask sample of zeta_l (MaskSampler),
 *   W_{t+1} = W_t - lr (M o grad_W f_t),   M unchanged,
 * </pre>
 *
 * where {@code M_l} (one entry per output unit of layer {@code l}) multiplies the rows of the
 * layer's {@code <l>.weight} and {@code <l>.bias}; other parameters (e.g. batch normalization) are
 * updated unmasked. The masks are sampled once per task from {@link BilevelProblem#seed()}, so a
 * reverse pass that recomputes {@code y_0} sees the same masks. The transformations {@code T} act
 * in the forward pass ({@link Transforms}) and are never updated here. Without masks (T-net) the
 * step is plain gradient descent. Stateless.
 */
final class MaskedDescent implements IterationModule {
  /** The name prefix of the sampled masks in the state. */
  static final String MASK = "mtnet.mask/";

  private final double learningRate;
  private final boolean masks;
  private final double temperature;

  MaskedDescent(double learningRate, boolean masks, double temperature) {
    this.learningRate = learningRate;
    this.masks = masks;
    this.temperature = temperature;
  }

  @Override
  public Variables initialize(Variables x, BilevelProblem problem, Differentiator differentiator) {
    Variables base = problem.initialBase(x);
    if (!masks) {
      return base;
    }
    SplittableRandom seeds = new SplittableRandom(problem.seed());
    Map<String, NDArray> sampled = new LinkedHashMap<>();
    for (String name : x.names()) {
      if (name.startsWith(Transforms.ZETA)) {
        String layer = name.substring(Transforms.ZETA.length());
        sampled.put(
            MASK + layer,
            MaskSampler.sample(
                x.get(name), temperature, seeds.nextLong(), differentiator, problem.manager()));
      }
    }
    if (sampled.isEmpty()) {
      throw new IllegalArgumentException(
          "the mtnet dynamics with masks need the mask logits "
              + Transforms.ZETA
              + "<layer> in x, which holds "
              + x.names()
              + "; build x with the provider's model extension (MetaLearner does)");
    }
    return base.merge(Variables.of(sampled));
  }

  @Override
  public Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable) {
    Variables weights = y.select(name -> !name.startsWith(MASK)).map(differentiator::track);
    Variables sampled = y.select(name -> name.startsWith(MASK));
    NDArray objective = problem.lowerObjective(step, x, weights.merge(sampled));
    List<NDArray> gradients = differentiator.gradient(objective, weights.values(), differentiable);
    NDArray negativeRate =
        differentiator.constant(problem.manager(), -learningRate, objective.getDataType());
    Map<String, NDArray> next = new LinkedHashMap<>();
    List<String> names = weights.names();
    for (int i = 0; i < names.size(); i++) {
      NDArray base = weights.get(names.get(i));
      NDArray gradient = masked(names.get(i), gradients.get(i), sampled);
      next.put(
          names.get(i),
          gradient.mul(negativeRate).add(differentiable ? base : base.stopGradient()));
    }
    for (String name : sampled.names()) {
      NDArray mask = sampled.get(name);
      next.put(name, differentiable ? mask : mask.stopGradient());
    }
    List<NDArray> ordered = new ArrayList<>(y.size());
    y.names().forEach(name -> ordered.add(next.get(name)));
    return y.withValues(ordered);
  }

  /** The gradient with the rows of unselected units zeroed, for a layer's weight and bias. */
  private static NDArray masked(String parameter, NDArray gradient, Variables sampled) {
    int dot = parameter.lastIndexOf('.');
    if (dot < 0) {
      return gradient;
    }
    String suffix = parameter.substring(dot + 1);
    String mask = MASK + parameter.substring(0, dot);
    if (!sampled.contains(mask) || !(suffix.equals("weight") || suffix.equals("bias"))) {
      return gradient;
    }
    long[] shape = new long[gradient.getShape().dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = gradient.getShape().get(0);
    return gradient.mul(sampled.get(mask).reshape(shape));
  }
}
