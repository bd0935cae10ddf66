package org.boml.plugins.rhg;

import ai.djl.ndarray.NDArray;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.ReversePass;
import org.boml.api.blocks.Trajectory;

/**
 * The exact hypergradient of {@code F(x, y_T(x))} by reverse-mode differentiation through all
 * {@code T} lower-level steps.
 *
 * <p>With {@code A_T = dF/dy_T} and {@code A_{t} = A_{t+1} d Psi_t / d y_t}, the hypergradient is
 * {@code dF/dx = partial_x F + sum_t A_{t+1} partial_x Psi_t + A_0 d Psi_0 / dx}. Two strategies
 * compute it, with the same numbers:
 *
 * <ul>
 *   <li>{@link Strategy#GRAPH}: keep the autograd graph of every step and differentiate {@code F}
 *       through it in one call; memory grows with {@code T} times one step's activations.
 *   <li>{@link Strategy#REPLAY}: keep only {@code y_0 .. y_T}; in the reverse pass recompute each
 *       step from {@code y_t} and take its vector-Jacobian product with {@code A_{t+1}}; memory is
 *       {@code O(T |y|)} plus one step's activations, at the price of a second forward pass
 *       (boml-api's {@link ReversePass} over the whole {@link Trajectory}).
 * </ul>
 */
final class ReverseHypergradient implements HypergradientModule {
  /** How the reverse pass gets at the trajectory. */
  enum Strategy {
    /** Back-propagate through the stored graph of the unrolled steps. */
    GRAPH,
    /** Store only the iterates and recompute each step in the reverse pass. */
    REPLAY
  }

  private final Strategy strategy;

  ReverseHypergradient(Strategy strategy) {
    this.strategy = strategy;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    return strategy == Strategy.GRAPH
        ? throughGraph(problem, dynamics, x, steps, d)
        : byReplay(problem, dynamics, x, steps, d);
  }

  private static Hypergradient throughGraph(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    Variables y = dynamics.initialize(x, problem, d);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, d, true);
    }
    NDArray upper = problem.upperObjective(x, y);
    Variables gradient = d.finalGradient(upper, x);
    return Hypergradient.of(gradient, upper);
  }

  private static Hypergradient byReplay(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    return ReversePass.hypergradient(
        problem, dynamics, x, Trajectory.run(problem, dynamics, x, steps, 0, d), d);
  }
}
