package org.boml.runtime.dynamics;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * Plain gradient descent on the lower-level objective: {@code Psi_t(x, y) = y - lr * grad_y
 * f_t(x, y)}.
 */
public final class GradientDescent implements IterationModule {
  private final double learningRate;

  /**
   * Gradient descent with a fixed step size.
   *
   * @param learningRate the step size {@code lr > 0}
   */
  public GradientDescent(double learningRate) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  /**
   * The step size.
   *
   * @return {@code lr}
   */
  public double learningRate() {
    return learningRate;
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
    NDArray negativeRate =
        differentiator.constant(problem.manager(), -learningRate, objective.getDataType());
    List<NDArray> next = new ArrayList<>(gradients.size());
    List<NDArray> current = tracked.values();
    for (int i = 0; i < gradients.size(); i++) {
      NDArray base = differentiable ? current.get(i) : current.get(i).stopGradient();
      next.add(gradients.get(i).mul(negativeRate).add(base));
    }
    return y.withValues(next);
  }
}
