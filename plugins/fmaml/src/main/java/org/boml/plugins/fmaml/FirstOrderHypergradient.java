package org.boml.plugins.fmaml;

import ai.djl.ndarray.NDArray;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * First-order MAML: the hypergradient with every derivative the lower-level steps take held
 * constant (a stop-gradient on {@code grad_y f}), while the dependence of the steps on {@code x}
 * through the dynamics' own meta-parameters is kept.
 *
 * <p>The steps run with a graph, but with a differentiator whose derivatives carry none ({@link
 * ConstantDerivatives}), so the result is exactly the gradient at {@code x} of the surrogate
 *
 * <pre>
 *   J(x) = F(x, z_T(x)),   z_0 = Psi_0(x),   z_{t+1} = Psi_t(x, z_t) with g_t := stopgrad(g_t),
 * </pre>
 *
 * where {@code g_t} are the derivatives the step takes ({@code grad_y f_t}, and {@code grad_y F}
 * for dynamics that use it), held at their values on the actual trajectory. For gradient descent
 * with a constant step size that is {@code F(x, Psi_0(x) + Delta)} with the displacement {@code
 * Delta = y_T - y_0} frozen, the classic first-order MAML; Meta-SGD's step sizes ({@code z_{t+1} =
 * z_t - alpha(x) o g_t}), a learned {@code lr}, and MT-net's masks (in the state from {@code
 * Psi_0}) keep their gradient. The step Jacobians with respect to {@code y} reduce to what the step
 * does outside the derivatives (the identity for plain, momentum and Meta-SGD steps). Memory: one
 * step's activations and the cheap graph of the updates.
 */
final class FirstOrderHypergradient implements HypergradientModule {
  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    Differentiator constantDerivatives = new ConstantDerivatives(d);
    Variables y = dynamics.initialize(x, problem, d);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, constantDerivatives, true);
    }
    NDArray upper = problem.upperObjective(x, y);
    return Hypergradient.of(d.finalGradient(upper, x), upper);
  }
}
