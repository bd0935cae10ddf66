package org.boml.plugins.trhg;

import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.ReversePass;
import org.boml.api.blocks.Trajectory;

/**
 * The truncated reverse-mode hypergradient: reverse-mode differentiation through the last {@code K}
 * of the {@code T} lower-level steps only (Shaban, Cheng, Hatch and Boots, "Truncated
 * Back-propagation for Bilevel Optimization", AISTATS 2019), with the steps before them taken to
 * first order.
 *
 * <p>With {@code A_T = partial_y F(x, y_T)} and {@code A_t = A_{t+1} partial_y Psi_t(x, y_t)}, the
 * full hypergradient is
 *
 * <pre>
 *   dF/dx = partial_x F + sum_{t=0}^{T-1} A_{t+1} partial_x Psi_t + A_0 dPsi_0/dx,
 * </pre>
 *
 * and the {@code K}-step truncation keeps the terms {@code t >= T - K}, and pulls the adjoint at
 * the start of the window back through {@code Psi_0} as if the earlier steps were the identity:
 *
 * <pre>
 *   h_K = partial_x F + sum_{t=T-K}^{T-1} A_{t+1} partial_x Psi_t(x, y_t) + A_{T-K} dPsi_0/dx.
 * </pre>
 *
 * That is exactly the gradient of {@code x -> F(x, Psi_{T-1}(x, ... Psi_{T-K}(x, Psi_0(x) +
 * Delta)))} with the displacement {@code Delta = y_{T-K} - y_0} frozen at its value. Where {@code
 * y_0} does not depend on {@code x} (hyperparameters, a per-task head) the last term is zero and
 * {@code h_K} is the paper's; for meta-initialization ({@code y_0 = x}) it is what lets the
 * initialization learn (without it every term but {@code partial_x F} would vanish), as first-order
 * MAML does through all steps. For {@code K >= T} nothing is dropped and the result is the full
 * hypergradient, as computed by {@code rhg}. The paper shows that for a strongly convex lower level
 * the bias decays exponentially in {@code K}.
 *
 * <p>The forward pass runs without a graph and stores only the last {@code K + 1} iterates {@code
 * y_{T-K} .. y_T}; the reverse pass recomputes each of the last {@code K} steps from its stored
 * iterate and takes its vector-Jacobian product, so memory is {@code O(K |y|)} plus one step's
 * activations: boml-api's {@link ReversePass} over the window {@code [T - K, T)} of a {@link
 * Trajectory}, the same pass as {@code rhg}'s replay strategy (its window is {@code [0, T)}).
 */
final class TruncatedReverseHypergradient implements HypergradientModule {
  private final int truncation;

  /**
   * A module that back-propagates through at most {@code truncation} steps.
   *
   * @param truncation {@code K >= 1}
   */
  TruncatedReverseHypergradient(int truncation) {
    if (truncation < 1) {
      throw new IllegalArgumentException("truncation must be >= 1, got " + truncation);
    }
    this.truncation = truncation;
  }

  /**
   * The number of steps back-propagated through.
   *
   * @return {@code K}
   */
  int truncation() {
    return truncation;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    Trajectory window =
        Trajectory.run(problem, dynamics, x, steps, Math.max(0, steps - truncation), d);
    return ReversePass.hypergradient(problem, dynamics, x, window, d);
  }
}
