package org.boml.plugins.basicdynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * Plain gradient descent on the lower-level objective: {@code Psi_t(x, y) = y - lr * grad_y f_t(x,
 * y)}, with a constant {@code lr} or a learned one, {@code lr = exp(x[name])} ({@link StepSize}).
 */
public final class GradientDescent implements IterationModule {
  private final StepSize stepSize;

  /**
   * Gradient descent with a fixed step size.
   *
   * @param learningRate the step size {@code lr > 0}
   */
  public GradientDescent(double learningRate) {
    this(StepSize.fixed(learningRate));
  }

  /**
   * Gradient descent with a fixed or learned step size.
   *
   * @param stepSize the step size
   */
  public GradientDescent(StepSize stepSize) {
    this.stepSize = Objects.requireNonNull(stepSize, "stepSize");
  }

  /**
   * The constant step size.
   *
   * @return {@code lr}
   * @throws IllegalStateException if the step size is learned
   */
  public double learningRate() {
    return stepSize
        .constant()
        .orElseThrow(() -> new IllegalStateException("the step size is " + stepSize));
  }

  /**
   * The step size.
   *
   * @return the constant or the variable it is read from
   */
  public StepSize stepSize() {
    return stepSize;
  }

  @Override
  public Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable) {
    List<NDArray> next = new ArrayList<>(y.size());
    // Every array made here but the result is closed when the step ends: an autograd graph keeps
    // its own references to what it needs, so a step without a graph frees its activations at
    // once, instead of when the task's manager closes.
    try (NDScope scope = new NDScope()) {
      Variables tracked = y.map(differentiator::track);
      NDArray objective = problem.lowerObjective(step, x, tracked);
      List<NDArray> gradients =
          differentiator.gradient(objective, tracked.values(), differentiable);
      NDArray negativeRate =
          stepSize.negative(x, problem, differentiator, objective.getDataType(), differentiable);
      List<NDArray> current = tracked.values();
      for (int i = 0; i < gradients.size(); i++) {
        NDArray base = differentiable ? current.get(i) : current.get(i).stopGradient();
        next.add(gradients.get(i).mul(negativeRate).add(base));
      }
      NDScope.unregister(next.toArray(new NDArray[0]));
    }
    next.forEach(NDScope::register); // to an enclosing scope, if there is one
    return y.withValues(next);
  }
}
