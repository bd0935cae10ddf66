package org.boml.plugins.bda;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
 * <p>The weight and {@code s_u} may be meta-parameters instead of constants ({@link
 * LearnedWeights}): a learned scalar {@code alpha = x[bda.alpha]} keeps {@code mu_t = alpha / (t +
 * 1)}; a learned vector gives every step its own weight, {@code mu_t = x[bda.alpha][t]}; a learned
 * upper-level step size is {@code s_u = exp(x[bda.log-s_u])}. Both weights are used as they are,
 * not clipped to {@code [0, 1]}, as in BOML.
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
  private final LearnedWeights.Aggregation aggregation;
  private final double alpha;
  private final double upperRate;
  private final boolean learnUpperRate;
  private final double lowerRate;

  /**
   * The dynamics with the given constants.
   *
   * @param alpha the initial aggregation weight, {@code 0 <= alpha <= 1}
   * @param upperRate {@code s_u > 0}, the step size of the upper-level direction
   * @param lowerRate {@code s_l > 0}, the step size of the lower-level direction
   */
  DescentAggregation(double alpha, double upperRate, double lowerRate) {
    this(LearnedWeights.Aggregation.FIXED, alpha, upperRate, false, lowerRate);
  }

  /**
   * The dynamics with constants or learned hyperparameters.
   *
   * @param aggregation whether the weight is a constant, a learned scalar or learned per step
   * @param alpha the constant initial aggregation weight, {@code 0 <= alpha <= 1}; unused if
   *     learned
   * @param upperRate {@code s_u > 0}; unused if learned
   * @param learnUpperRate whether {@code s_u = exp(x[bda.log-s_u])}
   * @param lowerRate {@code s_l > 0}, the step size of the lower-level direction
   */
  DescentAggregation(
      LearnedWeights.Aggregation aggregation,
      double alpha,
      double upperRate,
      boolean learnUpperRate,
      double lowerRate) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    if (!(upperRate > 0) || !Double.isFinite(upperRate)) {
      throw new IllegalArgumentException("s_u must be a positive number, got " + upperRate);
    }
    if (!(lowerRate > 0) || !Double.isFinite(lowerRate)) {
      throw new IllegalArgumentException("s_l must be a positive number, got " + lowerRate);
    }
    this.aggregation = aggregation;
    this.alpha = alpha;
    this.upperRate = upperRate;
    this.learnUpperRate = learnUpperRate;
    this.lowerRate = lowerRate;
  }

  /**
   * The constant aggregation weight of a step.
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
    Variables tracked = y.map(differentiator::track);
    NDArray lower = problem.lowerObjective(step, x, tracked);
    DataType type = lower.getDataType();
    List<NDArray> lowerGradients = differentiator.gradient(lower, tracked.values(), differentiable);
    NDArray lowerScale;
    NDArray upperScale = null;
    if (aggregation == LearnedWeights.Aggregation.FIXED && !learnUpperRate) {
      double mu = weight(step);
      lowerScale = differentiator.constant(problem.manager(), -(1 - mu) * lowerRate, type);
      if (mu > 0) {
        upperScale = differentiator.constant(problem.manager(), -mu * upperRate, type);
      }
    } else {
      NDArray mu = learnedWeight(step, x, problem, differentiator, type);
      NDArray one = differentiator.constant(problem.manager(), 1, type);
      NDArray negativeLowerRate = differentiator.constant(problem.manager(), -lowerRate, type);
      NDArray negativeUpperRate =
          learnUpperRate
              ? scalar(x, LearnedWeights.LOG_UPPER_RATE, type).exp().neg()
              : differentiator.constant(problem.manager(), -upperRate, type);
      lowerScale = one.sub(mu).mul(negativeLowerRate);
      upperScale = mu.mul(negativeUpperRate);
      if (!differentiable) {
        lowerScale = lowerScale.stopGradient();
        upperScale = upperScale.stopGradient();
      }
    }
    List<NDArray> upperGradients = null;
    if (upperScale != null) {
      NDArray upper = problem.upperObjective(x, tracked);
      upperGradients = differentiator.gradient(upper, tracked.values(), differentiable);
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

  /**
   * {@code mu_t} as an array: {@code alpha / (t + 1)} with alpha constant or learned, or {@code
   * x[bda.alpha][t]}.
   */
  private NDArray learnedWeight(
      int step, Variables x, BilevelProblem problem, Differentiator differentiator, DataType type) {
    if (aggregation == LearnedWeights.Aggregation.SCALAR) {
      return scalar(x, LearnedWeights.ALPHA, type)
          .div(differentiator.constant(problem.manager(), step + 1, type));
    }
    if (aggregation == LearnedWeights.Aggregation.FIXED) {
      return differentiator.constant(problem.manager(), weight(step), type);
    }
    NDArray weights = variable(x, LearnedWeights.ALPHA, type);
    if (weights.getShape().dimension() != 1 || step >= weights.size()) {
      throw new IllegalArgumentException(
          "bda with learn-alpha=per-step reads the weight of step "
              + step
              + " from x['"
              + LearnedWeights.ALPHA
              + "'], which has shape "
              + weights.getShape()
              + "; it holds one weight per lower-level step of the run it was made for, so"
              + " run as many inner steps as it has entries");
    }
    return weights.get(step);
  }

  private static NDArray scalar(Variables x, String name, DataType type) {
    NDArray value = variable(x, name, type);
    if (value.size() != 1) {
      throw new IllegalArgumentException(
          "bda reads the scalar x['" + name + "'], but it has shape " + value.getShape());
    }
    return value.reshape(new Shape());
  }

  private static NDArray variable(Variables x, String name, DataType type) {
    if (!x.contains(name)) {
      throw new IllegalArgumentException(
          "bda reads its learned hyperparameter x['"
              + name
              + "'], but x holds "
              + x.names()
              + "; build x with the provider's model extension (MetaLearner and"
              + " HyperparameterOptimizer do)");
    }
    NDArray value = x.get(name);
    if (value.getDataType() != type) {
      throw new IllegalArgumentException(
          "bda: x['" + name + "'] is " + value.getDataType() + " but the objective is " + type);
    }
    return value;
  }
}
