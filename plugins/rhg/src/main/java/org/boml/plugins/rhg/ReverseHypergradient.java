package org.boml.plugins.rhg;

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
 *       {@code O(T |y|)} plus one step's activations, at the price of a second forward pass.
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
    Variables gradient = d.gradient(upper, x, false);
    return Hypergradient.of(gradient, upper);
  }

  private static Hypergradient byReplay(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    List<Variables> iterates = new ArrayList<>(steps + 1);
    Variables y = dynamics.initialize(x, problem, d).map(NDArray::stopGradient);
    iterates.add(y);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, d, false);
      iterates.add(y);
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
    release(iterates, steps);
    Variables gradient = x.withValues(both.subList(0, x.size()));
    Variables adjoint = y.withValues(both.subList(x.size(), both.size()));
    for (int t = steps - 1; t >= 0; t--) {
      // the replayed step's graph is freed as soon as its product is taken, and so are the
      // iterate it started from and the running sums it replaces: memory stays O(T |y|)
      Variables sum;
      Variables before;
      try (NDScope scope = new NDScope()) {
        Variables previous = iterates.get(t).map(d::leaf);
        Variables next = dynamics.step(t, x, previous, problem, d, true);
        List<NDArray> products =
            d.vjp(next.values(), adjoint.values(), Variables.concat(x, previous), false);
        sum = add(gradient, x.withValues(products.subList(0, x.size())));
        before = previous.withValues(products.subList(x.size(), products.size()));
        NDScope.unregister(Variables.concat(sum, before).toArray(new NDArray[0]));
      }
      release(iterates, t);
      gradient.values().forEach(NDArray::close);
      adjoint.values().forEach(NDArray::close);
      gradient = sum;
      adjoint = before;
    }
    Variables initial = dynamics.initialize(x, problem, d);
    gradient = add(gradient, d.vjp(initial, adjoint, x, false));
    return Hypergradient.of(gradient, upper);
  }

  /**
   * Closes iterate {@code t} once nothing reads it any more, but for the arrays it shares with
   * iterate {@code t - 1} (a step may pass a parameter through unchanged).
   */
  private static void release(List<Variables> iterates, int t) {
    Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    if (t > 0) {
      kept.addAll(iterates.get(t - 1).values());
    }
    for (NDArray array : iterates.get(t).values()) {
      if (!kept.contains(array)) {
        array.close();
      }
    }
    iterates.set(t, null);
  }

  private static Variables add(Variables a, Variables b) {
    return a.zip(b, NDArray::add);
  }
}
