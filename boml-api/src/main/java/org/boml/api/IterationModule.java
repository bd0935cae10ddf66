package org.boml.api;

/**
 * Lower-level dynamics: {@code y_0 = Psi_0(x)} and {@code y_{t+1} = Psi_t(x, y_t)}, as
 * differentiable maps. For plain gradient descent {@code Psi_t(x, y) = y - lr * grad_y f(x, y)}.
 *
 * <p>A module may hold state that lives across outer steps; one instance serves one training run
 * but may be called from several threads at once, so per-task state must not be kept in fields.
 */
public interface IterationModule {
  /**
   * The initial base parameters {@code y_0 = Psi_0(x)}.
   *
   * @param x the meta-parameters
   * @param problem the task
   * @param differentiator the runtime's autodiff
   * @return {@code y_0}, differentiable with respect to {@code x}
   */
  default Variables initialize(Variables x, BilevelProblem problem, Differentiator differentiator) {
    return problem.initialBase(x);
  }

  /**
   * One lower-level step {@code y_{t+1} = Psi_t(x, y_t)}.
   *
   * @param step the step index {@code t}, {@code 0 <= t < T}
   * @param x the meta-parameters
   * @param y the current base parameters {@code y_t}
   * @param problem the task
   * @param differentiator the runtime's autodiff
   * @param differentiable if true the result is a differentiable function of {@code x} and {@code
   *     y} (second-order graph); if false it carries no graph at all
   * @return {@code y_{t+1}}
   */
  Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable);
}
