package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One bilevel problem, usually one task of a meta-batch:
 *
 * <pre>
 *   min_x F(x, y_T(x))   where   y_0 = Psi_0(x),  y_t = Psi_t(x, y_{t-1})
 * </pre>
 *
 * and the dynamics {@code Psi} (an {@link IterationModule}) decrease the lower-level objective
 * {@code f(x, y)}. Both objectives are scalar arrays built with differentiable operations, so that
 * a {@link Differentiator} can take their derivatives of any order.
 *
 * <p>The lower-level state that hypergradient modules pass to the objectives may hold, after the
 * base parameters, variables of the dynamics' own (a velocity, moments): an implementation must
 * read the base parameters by name and ignore the rest. The runtime's problems do, and remove that
 * state before calling a user's functions.
 */
public interface BilevelProblem {
  /**
   * The lower-level (training) objective {@code f(x, y)} at step {@code t}.
   *
   * @param step the index of the lower-level step that evaluates it, {@code 0 <= step < T}; a
   *     stochastic objective must return the same mini-batch for the same step, so that a reverse
   *     pass that recomputes a step sees the objective the forward pass saw
   * @param x the meta-parameters
   * @param y the base parameters
   * @return a scalar array
   */
  NDArray lowerObjective(int step, Variables x, Variables y);

  /**
   * The upper-level (validation) objective {@code F(x, y)}.
   *
   * @param x the meta-parameters
   * @param y the base parameters
   * @return a scalar array
   */
  NDArray upperObjective(Variables x, Variables y);

  /**
   * The problem's own initial base parameters {@code Psi_0(x)}, as a differentiable function of
   * {@code x}: the identity on the shared names for meta-initialization, a fixed initializer for a
   * per-task head. Iteration modules use it unless they define their own.
   *
   * @param x the meta-parameters
   * @return {@code y_0}
   */
  Variables initialBase(Variables x);

  /**
   * The manager that owns the problem's data; intermediate arrays should be attached here (or to a
   * sub-manager) so they are freed with the task.
   *
   * @return the task's manager
   */
  NDManager manager();

  /**
   * A seed fixed for this problem, for methods that draw random numbers per task (e.g. MT-net's
   * mask samples): the same problem must give the same seed every time it is asked, so that a
   * reverse pass that recomputes a step draws what the forward pass drew.
   *
   * @return the seed; 0 by default (the runtime's problems return their task's seed)
   * @since 1.1.0
   */
  default long seed() {
    return 0;
  }
}
