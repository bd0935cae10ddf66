package org.boml.plugins.metasgd;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * Meta-SGD's lower-level step (Li et al. 2017, algorithm 1):
 *
 * <pre>
 *   Psi_t(x, y) = y - alpha o grad_y f_t(x, y),
 * </pre>
 *
 * with {@code o} the element-wise product and {@code alpha} read from the meta-parameters ({@link
 * StepSizes}): one step size per entry of every adapted parameter (its direction and size are both
 * learned; entries may become negative), or one shared scalar. Since {@code y_0 = x} (the
 * initialization) and {@code alpha} are both in {@code x}, any method that differentiates through
 * the trajectory meta-learns them jointly; reverse mode ({@code rhg}) gives the exact gradient
 * {@code dF(x, y_T)/d(init, alpha)}. Stateless.
 */
final class MetaSgd implements IterationModule {
  private final StepSizes stepSizes;

  MetaSgd(StepSizes stepSizes) {
    this.stepSizes = stepSizes;
  }

  @Override
  public Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable) {
    Variables tracked = y.map(differentiator::track);
    NDArray objective = problem.lowerObjective(step, x, tracked);
    List<NDArray> gradients = differentiator.gradient(objective, tracked.values(), differentiable);
    List<String> names = tracked.names();
    List<NDArray> current = tracked.values();
    List<NDArray> next = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      NDArray alpha = rate(x, names.get(i));
      NDArray base = current.get(i);
      if (!differentiable) {
        alpha = alpha.stopGradient();
        base = base.stopGradient();
      }
      next.add(base.sub(gradients.get(i).mul(alpha)));
    }
    return y.withValues(next);
  }

  private NDArray rate(Variables x, String parameter) {
    String name = stepSizes.nameFor(parameter);
    if (!x.contains(name)) {
      throw new IllegalArgumentException(
          "the metasgd dynamics need the step size '"
              + name
              + "' of base parameter '"
              + parameter
              + "' in x, which holds "
              + x.names()
              + "; build x with the provider's model extension (MetaLearner does)");
    }
    return x.get(name);
  }
}
