package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.boml.api.BilevelProblem;
import org.boml.api.OwnedArrays;
import org.boml.api.Variables;

/**
 * A bilevel problem with a closed-form hypergradient:
 *
 * <pre>
 *   f(x, y) = 1/2 y^T A y - y^T B x          (A symmetric positive definite)
 *   F(x, y) = 1/2 |y - c|^2
 *   y*(x)   = A^-1 B x,     dF(x, y*(x))/dx = B^T A^-1 (y*(x) - c)
 * </pre>
 *
 * with {@code y_0 = 0}. Gradient descent on {@code f} converges to {@code y*}, so every exact
 * unrolled hypergradient approaches {@link #exactHypergradient(Variables)} as {@code T} grows.
 * Variables are named {@code x} and {@code y}; everything is float64.
 */
public final class QuadraticProblem implements BilevelProblem {
  private final NDManager manager;
  private final NDArray curvature;
  private final NDArray coupling;
  private final NDArray target;
  private final NDArray half;

  /**
   * A random instance.
   *
   * @param manager where its arrays live
   * @param metaSize the size of {@code x}
   * @param baseSize the size of {@code y}
   * @param seed fixes {@code A}, {@code B} and {@code c}
   */
  public QuadraticProblem(NDManager manager, int metaSize, int baseSize, long seed) {
    this.manager = manager;
    Random random = new Random(seed);
    NDArray m = gaussian(manager, random, new Shape(baseSize, baseSize));
    // A = M M^T / n + I/2: eigenvalues in [1/2, ~5], so gradient descent with lr 0.1 converges.
    this.curvature =
        m.matMul(m.transpose())
            .div(baseSize)
            .add(manager.eye(baseSize, baseSize, 0, DataType.FLOAT64).div(2));
    this.coupling = gaussian(manager, random, new Shape(baseSize, metaSize));
    this.target = gaussian(manager, random, new Shape(baseSize));
    // A graph-safe constant: never NDArray.div(Number) inside an objective.
    this.half = manager.full(new Shape(), 0.5f, DataType.FLOAT64);
  }

  private static NDArray gaussian(NDManager manager, Random random, Shape shape) {
    double[] values = new double[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    return OwnedArrays.owned(manager.create(values, shape), DataType.FLOAT64);
  }

  /**
   * Meta-parameters to start from.
   *
   * @param seed fixes the values
   * @return {@code x}, float64, not requiring a gradient
   */
  public Variables initialMeta(long seed) {
    return Variables.of(
        Map.of("x", gaussian(manager, new Random(seed), new Shape(coupling.getShape().get(1)))));
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    NDArray base = y.get("y");
    NDArray quadratic = base.matMul(curvature.matMul(base)).mul(half);
    return quadratic.sub(base.matMul(coupling.matMul(x.get("x"))));
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    return y.get("y").sub(target).square().sum().mul(half);
  }

  @Override
  public Variables initialBase(Variables x) {
    return Variables.of(Map.of("y", manager.zeros(target.getShape(), DataType.FLOAT64)));
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  /**
   * The exact hypergradient at the lower-level optimum.
   *
   * @param x the meta-parameters
   * @return {@code B^T A^-1 (A^-1 B x - c)}
   */
  public Variables exactHypergradient(Variables x) {
    NDArray inverse = curvature.inverse();
    NDArray optimum = inverse.matMul(coupling.matMul(x.get("x")));
    return Variables.of(
        Map.of("x", coupling.transpose().matMul(inverse.matMul(optimum.sub(target)))));
  }
}
