package org.boml.plugins.darts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.Trajectory;
import org.boml.api.blocks.UpperGradient;

/**
 * The DARTS hypergradient (Liu, Simonyan and Yang, "DARTS: Differentiable Architecture Search",
 * ICLR 2019, section 2.3): the second-order term of the one-step unrolled hypergradient by a
 * central finite difference of first-order gradients, with no Hessian-vector product.
 *
 * <p>For one gradient step {@code y' = y - lr grad_y f(x, y)} from a {@code y} that does not depend
 * on {@code x},
 *
 * <pre>
 *   dF(x, y')/dx = grad_x F(x, y') - lr (partial_x grad_y f(x, y))^T v,   v = grad_y F(x, y'),
 * </pre>
 *
 * and the mixed product is approximated by
 *
 * <pre>
 *   (partial_x grad_y f)^T v ~ (grad_x f(x, y + eps v) - grad_x f(x, y - eps v)) / (2 eps),
 *   eps = epsilon-scale / |v|,
 * </pre>
 *
 * whose error is {@code O(eps^2)} (third derivatives of {@code f}; zero when {@code grad_x f} is
 * quadratic in {@code y}). Generalization to {@code T} steps: the steps run without a graph (a
 * boml-api {@link Trajectory} that keeps {@code y_{T-1}} and {@code y_T}), the formula is applied
 * to the last one, {@code y = y_{T-1}}, {@code y' = y_T}, with the objective {@code f_{T-1}} of
 * that step, and earlier steps are ignored (for {@code T = 1} and {@code y_0} independent of {@code
 * x} this is DARTS exactly). It then approximates the truncated reverse hypergradient with {@code K
 * = 1}.
 *
 * <p>As in DARTS, {@code x} and {@code y} are disjoint (the meta-feature family): the direct term
 * is {@code grad_x F}, and nothing flows through {@code Psi_0}. The formula assumes the last step
 * is gradient descent with step size {@code lr}: the module's {@code lr} option must equal the
 * dynamics' step size, which the module cannot see. The module is stateless and thread-safe.
 */
final class FiniteDifferenceHypergradient implements HypergradientModule {
  private final double learningRate;
  private final double epsilonScale;

  /**
   * The module with the given constants.
   *
   * @param learningRate the step size of the dynamics' last step, {@code > 0}
   * @param epsilonScale the finite-difference step times {@code |grad_y F|}, {@code > 0}
   */
  FiniteDifferenceHypergradient(double learningRate, double epsilonScale) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("lr must be a positive number, got " + learningRate);
    }
    if (!(epsilonScale > 0) || !Double.isFinite(epsilonScale)) {
      throw new IllegalArgumentException(
          "epsilon-scale must be a positive number, got " + epsilonScale);
    }
    this.learningRate = learningRate;
    this.epsilonScale = epsilonScale;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    UpperGradient.requireSteps(steps);
    Trajectory trajectory = Trajectory.run(problem, dynamics, x, steps, steps - 1, d);
    Variables previous = trajectory.iterate(steps - 1);
    UpperGradient upper = UpperGradient.at(problem, x, trajectory.last(), d);
    Variables direct = upper.gradientX();
    Variables direction = upper.gradientY();
    double norm = Math.sqrt(direction.dot(direction));
    if (norm == 0) {
      return new Hypergradient(direct, upper.value());
    }
    double epsilon = epsilonScale / norm;
    DataType type = direction.values().get(0).getDataType();
    NDArray up = d.constant(problem.manager(), epsilon, type);
    NDArray down = d.constant(problem.manager(), -epsilon, type);
    Variables plus = direction.zip(previous, (v, base) -> v.mul(up).add(base));
    Variables minus = direction.zip(previous, (v, base) -> v.mul(down).add(base));
    Variables gradientPlus = d.gradient(problem.lowerObjective(steps - 1, x, plus), x, false);
    Variables gradientMinus = d.gradient(problem.lowerObjective(steps - 1, x, minus), x, false);
    NDArray scale = d.constant(problem.manager(), -learningRate / (2 * epsilon), type);
    Variables correction = gradientPlus.zip(gradientMinus, (p, m) -> p.sub(m).mul(scale));
    return new Hypergradient(direct.zip(correction, NDArray::add), upper.value());
  }
}
