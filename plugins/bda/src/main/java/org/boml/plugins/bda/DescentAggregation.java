package org.boml.plugins.bda;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * Bilevel Descent Aggregation (Liu, Mu, Yuan, Zeng and Zhang, "A Generic First-Order Algorithmic
 * Framework for Bi-Level Programming Beyond Lower-Level Singleton", ICML 2020): lower-level steps
 * along a convex combination of the descent directions of both levels,
 *
 * <pre>
 *   Psi_t(x, y) = y - ( (1 - mu_t) s_l grad_y f_t(x, y) + mu_t s_u grad_y F(x, y) ),
 *   mu_t = alpha / (t + 1).
 * </pre>
 *
 * <p>The upper-level direction steers the lower level towards those of its (possibly many)
 * minimizers that are good for {@code F}, which is why BDA does not need the lower-level problem to
 * have a unique solution; its weight {@code mu_t} decays so that the iterates still settle on
 * lower-level minimizers. With {@code alpha = 0} every step is plain gradient descent with step
 * size {@code s_l}, computed with the same operations.
 *
 * <p>Each step is an ordinary differentiable map of {@code x} and {@code y}, so its hypergradient
 * is that of any module that differentiates through the trajectory ({@code rhg}: reverse mode
 * through the aggregated steps). The module is stateless and may be shared by threads.
 *
 * <p>Every step evaluates {@code F}, which in meta-learning is the loss on the task's validation
 * (query) examples. The runtime's evaluation therefore adapts held-out tasks with a problem whose
 * {@code F} is measured on the training split, so that adaptation never sees the examples it is
 * scored on.
 */
final class DescentAggregation implements IterationModule {
  private final double alpha;
  private final double upperRate;
  private final double lowerRate;

  /**
   * The dynamics with the given constants.
   *
   * @param alpha the initial aggregation weight, {@code 0 <= alpha <= 1}
   * @param upperRate {@code s_u > 0}, the step size of the upper-level direction
   * @param lowerRate {@code s_l > 0}, the step size of the lower-level direction
   */
  DescentAggregation(double alpha, double upperRate, double lowerRate) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    if (!(upperRate > 0) || !Double.isFinite(upperRate)) {
      throw new IllegalArgumentException("s_u must be a positive number, got " + upperRate);
    }
    if (!(lowerRate > 0) || !Double.isFinite(lowerRate)) {
      throw new IllegalArgumentException("s_l must be a positive number, got " + lowerRate);
    }
    this.alpha = alpha;
    this.upperRate = upperRate;
    this.lowerRate = lowerRate;
  }

  /**
   * The aggregation weight of a step.
   *
   * @param step {@code t >= 0}
   * @return {@code mu_t = alpha / (t + 1)}
   */
  double weight(int step) {
    return alpha / (step + 1);
  }

  @Override
  public Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable) {
    double mu = weight(step);
    Variables tracked = y.map(differentiator::track);
    NDArray lower = problem.lowerObjective(step, x, tracked);
    DataType type = lower.getDataType();
    List<NDArray> lowerGradients = differentiator.gradient(lower, tracked.values(), differentiable);
    NDArray lowerScale = differentiator.constant(problem.manager(), -(1 - mu) * lowerRate, type);
    List<NDArray> upperGradients = null;
    NDArray upperScale = null;
    if (mu > 0) {
      NDArray upper = problem.upperObjective(x, tracked);
      upperGradients = differentiator.gradient(upper, tracked.values(), differentiable);
      upperScale = differentiator.constant(problem.manager(), -mu * upperRate, type);
    }
    List<NDArray> current = tracked.values();
    List<NDArray> next = new ArrayList<>(current.size());
    for (int i = 0; i < current.size(); i++) {
      NDArray base = differentiable ? current.get(i) : current.get(i).stopGradient();
      NDArray direction = lowerGradients.get(i).mul(lowerScale);
      if (upperGradients != null) {
        direction = direction.add(upperGradients.get(i).mul(upperScale));
      }
      next.add(direction.add(base));
    }
    return y.withValues(next);
  }
}
