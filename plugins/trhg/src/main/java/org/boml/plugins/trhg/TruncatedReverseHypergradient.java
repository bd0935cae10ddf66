package org.boml.plugins.trhg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * The truncated reverse-mode hypergradient: reverse-mode differentiation through the last {@code K}
 * of the {@code T} lower-level steps only (Shaban, Cheng, Hatch and Boots, "Truncated
 * Back-propagation for Bilevel Optimization", AISTATS 2019).
 *
 * <p>With {@code A_T = partial_y F(x, y_T)} and {@code A_t = A_{t+1} partial_y Psi_t(x, y_t)}, the
 * full hypergradient is
 *
 * <pre>
 *   dF/dx = partial_x F + sum_{t=0}^{T-1} A_{t+1} partial_x Psi_t + A_0 dPsi_0/dx,
 * </pre>
 *
 * and the {@code K}-step truncation keeps the terms {@code t >= T - K} only:
 *
 * <pre>
 *   h_K = partial_x F + sum_{t=T-K}^{T-1} A_{t+1} partial_x Psi_t(x, y_t).
 * </pre>
 *
 * That is exactly the gradient of {@code x -> F(x, Psi_{T-1}(x, ... Psi_{T-K}(x, y_{T-K})))} with
 * {@code y_{T-K}} frozen at its value. For {@code K >= T} nothing is dropped and the result is the
 * full hypergradient, including the term through {@code Psi_0}, as computed by {@code rhg}. The
 * paper shows that for a strongly convex lower level the bias decays exponentially in {@code K}.
 *
 * <p>When {@code x} enters only through {@code Psi_0} (meta-initialization with {@code K < T}),
 * every retained term but {@code partial_x F} vanishes: truncation is meant for meta-parameters
 * that the lower-level steps see (hyperparameters, shared features).
 *
 * <p>The forward pass runs without a graph and stores only the last {@code K + 1} iterates {@code
 * y_{T-K} .. y_T}; the reverse pass recomputes each of the last {@code K} steps from its stored
 * iterate and takes its vector-Jacobian product, so memory is {@code O(K |y|)} plus one step's
 * activations.
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
    if (steps < 0) {
      throw new IllegalArgumentException(
          "the number of lower-level steps must be >= 0, got " + steps);
    }
    int first = Math.max(0, steps - truncation);
    // window.get(i) is y_{first + i}, for first <= t <= T.
    List<Variables> window = new ArrayList<>(Math.min(steps, truncation) + 1);
    Variables y = dynamics.initialize(x, problem, d).map(NDArray::stopGradient);
    if (first == 0) {
      window.add(y);
    }
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, d, false);
      if (t + 1 >= first) {
        window.add(y);
      }
    }
    Variables last = y.map(d::leaf);
    NDArray upper = problem.upperObjective(x, last);
    List<NDArray> both = d.gradient(upper, Variables.concat(x, last), false);
    Variables gradient = x.withValues(both.subList(0, x.size()));
    Variables adjoint = last.withValues(both.subList(x.size(), both.size()));
    for (int t = steps - 1; t >= first; t--) {
      // the replayed step's graph is freed as soon as its product is taken
      try (NDScope scope = new NDScope()) {
        Variables previous = window.get(t - first).map(d::leaf);
        Variables next = dynamics.step(t, x, previous, problem, d, true);
        List<NDArray> products =
            d.vjp(next.values(), adjoint.values(), Variables.concat(x, previous), false);
        gradient = gradient.zip(x.withValues(products.subList(0, x.size())), NDArray::add);
        adjoint = previous.withValues(products.subList(x.size(), products.size()));
        NDScope.unregister(Variables.concat(gradient, adjoint).toArray(new NDArray[0]));
      }
    }
    if (first == 0) {
      Variables initial = dynamics.initialize(x, problem, d);
      gradient = gradient.zip(d.vjp(initial, adjoint, x, false), NDArray::add);
    }
    return Hypergradient.of(gradient, upper);
  }
}
