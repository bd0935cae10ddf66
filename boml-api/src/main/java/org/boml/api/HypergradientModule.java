package org.boml.api;

/**
 * Computes the hypergradient {@code dF(x, y_T(x))/dx} of one bilevel problem, exactly or
 * approximately, given the lower-level dynamics.
 *
 * <p>The module runs the lower level itself (it decides what to keep for its reverse pass). It may
 * be called from several threads at once, each with its own problem.
 */
public interface HypergradientModule {
  /**
   * Runs {@code T} lower-level steps and returns the hypergradient.
   *
   * @param problem the task's objectives
   * @param dynamics the lower-level dynamics {@code Psi}
   * @param x the meta-parameters: leaves that require a gradient, private to this call
   * @param steps the number of lower-level steps {@code T >= 0}
   * @param differentiator the runtime's autodiff
   * @return {@code dF/dx} and {@code F(x, y_T)}
   */
  Hypergradient compute(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator);
}
