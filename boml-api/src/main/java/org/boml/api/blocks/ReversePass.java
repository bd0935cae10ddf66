package org.boml.api.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * The reverse pass over the window {@code [k, T)} of a {@link Trajectory}, each step replayed from
 * its stored iterate: the reverse-mode hypergradient through the last {@code T - k} steps.
 *
 * <p>With {@code A_T = grad_y F(x, y_T)} and {@code A_t = A_{t+1} partial_y Psi_t(x, y_t)}, it
 * returns
 *
 * <pre>
 *   h_k = partial_x F + sum_{t=k}^{T-1} A_{t+1} partial_x Psi_t(x, y_t) + A_k dPsi_0/dx,
 * </pre>
 *
 * the gradient of {@code x -> F(x, Psi_{T-1}(x, ... Psi_k(x, Psi_0(x) + Delta)))} with the
 * displacement {@code Delta = y_k - y_0} frozen: for {@code k = 0} the exact hypergradient of
 * {@code F(x, y_T(x))} (reverse mode by replay), for {@code k > 0} the truncated one of Shaban et
 * al. (AISTATS 2019), in which the steps before the window count to first order. Each step of the
 * window is recomputed with a graph from {@code y_t} and its vector-Jacobian product with {@code
 * A_{t+1}} taken at once; that step's graph, the iterate it started from and the running sums it
 * replaces are freed as soon as the product exists, so memory stays that of the trajectory plus one
 * step's activations. The pass releases the trajectory's iterates as it goes: the trajectory cannot
 * be read afterwards.
 *
 * @since 1.4.0
 */
public final class ReversePass {
  private ReversePass() {}

  /**
   * The hypergradient through the trajectory's window.
   *
   * @param problem the task the trajectory was run on
   * @param dynamics the dynamics that ran it; their steps must be differentiable
   * @param x the meta-parameters the trajectory was run with, as arrays that take part in the graph
   * @param trajectory the iterates {@code y_k .. y_T}; released by this call
   * @param d the runtime's autodiff
   * @return {@code h_k} and {@code F(x, y_T)}, without any graph
   */
  public static Hypergradient hypergradient(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Trajectory trajectory,
      Differentiator d) {
    int steps = trajectory.steps();
    UpperGradient upper;
    // the upper objective's graph and activations are freed once its gradient is taken
    try (NDScope scope = new NDScope()) {
      upper = UpperGradient.at(problem, x, trajectory.last(), d);
      NDScope.unregister(
          Variables.concat(upper.gradientX(), upper.gradientY()).toArray(new NDArray[0]));
    }
    trajectory.release(steps);
    Variables gradient = upper.gradientX();
    Variables adjoint = upper.gradientY();
    for (int t = steps - 1; t >= trajectory.first(); t--) {
      Variables sum;
      Variables before;
      try (NDScope scope = new NDScope()) {
        Variables previous = trajectory.iterate(t).map(d::leaf);
        Variables next = dynamics.step(t, x, previous, problem, d, true);
        List<NDArray> products =
            d.vjp(next.values(), adjoint.values(), Variables.concat(x, previous), false);
        sum = gradient.zip(x.withValues(products.subList(0, x.size())), NDArray::add);
        before = previous.withValues(products.subList(x.size(), products.size()));
        NDScope.unregister(Variables.concat(sum, before).toArray(new NDArray[0]));
      }
      trajectory.release(t);
      gradient.values().forEach(NDArray::close);
      adjoint.values().forEach(NDArray::close);
      gradient = sum;
      adjoint = before;
    }
    trajectory.release(trajectory.first());
    // y_k = Psi_0(x) + Delta with Delta frozen: exact for k = 0, first order before the window
    Variables initial = dynamics.initialize(x, problem, d);
    gradient = gradient.zip(d.vjp(initial, adjoint, x, false), NDArray::add);
    return new Hypergradient(gradient, upper.value());
  }
}
