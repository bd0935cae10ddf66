package org.boml.plugins.trhg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

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
    // window.get(i) is y_{first + i}, for first <= t <= T; the iterates before it are closed as
    // soon as the next one exists
    List<Variables> window = new ArrayList<>(Math.min(steps, truncation) + 1);
    Variables y = dynamics.initialize(x, problem, d).map(NDArray::stopGradient);
    if (first == 0) {
      window.add(y);
    }
    for (int t = 0; t < steps; t++) {
      Variables next = dynamics.step(t, x, y, problem, d, false);
      if (t < first) {
        closeUnshared(y, next);
      }
      y = next;
      if (t + 1 >= first) {
        window.add(y);
      }
    }
    List<NDArray> both;
    NDArray upper;
    // the upper objective's graph and activations are freed once its gradient is taken
    try (NDScope scope = new NDScope()) {
      Variables last = y.map(d::leaf);
      NDArray objective = problem.upperObjective(x, last);
      both = d.gradient(objective, Variables.concat(x, last), false);
      upper = objective.stopGradient();
      NDScope.unregister(both.toArray(new NDArray[0]));
      NDScope.unregister(upper);
    }
    Variables gradient = x.withValues(both.subList(0, x.size()));
    Variables adjoint = y.withValues(both.subList(x.size(), both.size()));
    for (int t = steps - 1; t >= first; t--) {
      // the replayed step's graph is freed as soon as its product is taken, and so are the
      // iterate after it and the running sums it replaces
      Variables sum;
      Variables before;
      Variables previous = window.get(t - first);
      try (NDScope scope = new NDScope()) {
        Variables start = previous.map(d::leaf);
        Variables next = dynamics.step(t, x, start, problem, d, true);
        List<NDArray> products =
            d.vjp(next.values(), adjoint.values(), Variables.concat(x, start), false);
        sum = gradient.zip(x.withValues(products.subList(0, x.size())), NDArray::add);
        before = start.withValues(products.subList(x.size(), products.size()));
        NDScope.unregister(Variables.concat(sum, before).toArray(new NDArray[0]));
      }
      closeUnshared(window.get(t + 1 - first), previous);
      gradient.values().forEach(NDArray::close);
      adjoint.values().forEach(NDArray::close);
      gradient = sum;
      adjoint = before;
    }
    // y_{T-K} = Psi_0(x) + Delta with Delta frozen: exact for K >= T, first order before the window
    Variables initial = dynamics.initialize(x, problem, d);
    gradient = gradient.zip(d.vjp(initial, adjoint, x, false), NDArray::add);
    return Hypergradient.of(gradient, upper);
  }

  /**
   * Closes an iterate nothing reads any more, but for the arrays it shares with one still in use (a
   * step may pass a parameter through unchanged).
   */
  private static void closeUnshared(Variables done, Variables inUse) {
    Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    kept.addAll(inUse.values());
    for (NDArray array : done.values()) {
      if (!kept.contains(array)) {
        array.close();
      }
    }
  }
}
