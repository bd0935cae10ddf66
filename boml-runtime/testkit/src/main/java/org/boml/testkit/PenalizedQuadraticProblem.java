package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;

/**
 * A {@link QuadraticProblem} whose upper objective also depends on the meta-parameters directly:
 *
 * <pre>
 *   F_w(x, y) = F(x, y) + w/2 |x|^2,     dF_w(x, y*(x))/dx = dF(x, y*(x))/dx + w x
 * </pre>
 *
 * so a hypergradient that leaves out the direct term {@code partial_x F_w} misses {@code w x}. The
 * lower objective and {@code y_0} are the quadratic problem's; everything is float64.
 */
public final class PenalizedQuadraticProblem implements BilevelProblem {
  private final QuadraticProblem quadratic;
  private final double weight;
  private final NDArray halfWeight;

  /**
   * Adds the penalty to a quadratic problem.
   *
   * @param quadratic the problem without it; its manager holds the penalty's constant
   * @param weight {@code w}
   */
  public PenalizedQuadraticProblem(QuadraticProblem quadratic, double weight) {
    this.quadratic = quadratic;
    this.weight = weight;
    // A graph-safe constant: never NDArray.mul(Number) inside an objective.
    this.halfWeight =
        TestKit.differentiator().constant(quadratic.manager(), weight / 2, DataType.FLOAT64);
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    return quadratic.lowerObjective(step, x, y);
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    return quadratic.upperObjective(x, y).add(x.get("x").square().sum().mul(halfWeight));
  }

  @Override
  public Variables initialBase(Variables x) {
    return quadratic.initialBase(x);
  }

  @Override
  public NDManager manager() {
    return quadratic.manager();
  }

  /**
   * The exact hypergradient at the lower-level optimum, direct term included.
   *
   * @param x the meta-parameters
   * @return the quadratic problem's {@link QuadraticProblem#exactHypergradient} plus {@code w x}
   */
  public Variables exactHypergradient(Variables x) {
    double[] exact = quadratic.exactHypergradient(x).get("x").toDoubleArray();
    double[] values = x.get("x").toDoubleArray();
    for (int i = 0; i < exact.length; i++) {
      exact[i] += weight * values[i];
    }
    return Variables.of(Map.of("x", manager().create(exact)));
  }
}
