package org.boml.plugins.fmaml;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * First-order MAML: the hypergradient with the Jacobians of the lower-level steps replaced by the
 * identity.
 *
 * <p>The steps run without a graph, so {@code y_T = Psi_0(x) + Delta} with {@code Delta} treated as
 * a constant, and the result is exactly {@code d/dx F(x, Psi_0(x) + Delta) = partial_x F + (d
 * Psi_0/dx)^T partial_y F(x, y_T)}. For meta-initialization ({@code Psi_0(x) = x}) that is the
 * query-set gradient at the adapted weights.
 */
final class FirstOrderHypergradient implements HypergradientModule {
  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    Variables initial = dynamics.initialize(x, problem, d);
    Variables y = initial.map(NDArray::stopGradient);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, d, false);
    }
    Variables last = y.map(d::leaf);
    NDArray upper = problem.upperObjective(x, last);
    List<NDArray> wrt = new ArrayList<>(x.values());
    wrt.addAll(last.values());
    List<NDArray> both = d.gradient(upper, wrt, false);
    Variables direct = x.withValues(both.subList(0, x.size()));
    Variables atSolution = last.withValues(both.subList(x.size(), both.size()));
    Variables throughInitial = d.vjp(initial, atSolution, x, false);
    return Hypergradient.of(direct.zip(throughInitial, NDArray::add), upper);
  }
}
