package org.boml.testkit.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.OwnedArrays;
import org.boml.api.Variables;

/**
 * A float64 bilevel problem whose trajectory under gradient descent and every (truncated)
 * hypergradient have closed forms, in either family. With {@code A = diag(a)}, step size {@code lr}
 * and {@code r = 1 - lr a} (element-wise):
 *
 * <pre>
 *   meta-feature:        f = 1/2 y^T A y - y^T x,  y_0 = 0,  y_t = (1 - r^t) x / a
 *   meta-initialization: f = 1/2 y^T A y,          y_0 = x,  y_t = r^t x
 *   both:                F = 1/2 |y - c|^2 + w/2 |x|^2
 * </pre>
 *
 * The reverse pass over the window {@code [k, T)} gives {@code w x + (1 - r^(T-k)) / a o (y_T - c)}
 * in the first family and {@code w x + r^(T-k) o (y_T - c)} in the second ({@code k = 0}: the exact
 * hypergradient).
 */
final class DiagonalProblem implements BilevelProblem {
  static final double[] CURVATURES = {0.5, 1, 2, 3};
  static final double[] TARGET = {1, -1, 0.5, 0.25};
  static final double[] META = {0.3, -1.2, 0.7, 2.0};
  static final double PENALTY = 0.7;

  private final NDManager manager;
  private final boolean metaInitialization;
  private final NDArray curvatures;
  private final NDArray target;
  private final NDArray half;
  private final NDArray halfPenalty;

  DiagonalProblem(NDManager manager, Differentiator d, boolean metaInitialization) {
    this.manager = manager;
    this.metaInitialization = metaInitialization;
    this.curvatures = owned(manager, CURVATURES);
    this.target = owned(manager, TARGET);
    this.half = d.constant(manager, 0.5, DataType.FLOAT64);
    this.halfPenalty = d.constant(manager, PENALTY / 2, DataType.FLOAT64);
  }

  static NDArray owned(NDManager manager, double[] values) {
    return OwnedArrays.owned(manager.create(values), DataType.FLOAT64);
  }

  Variables meta() {
    return Variables.of(Map.of("x", owned(manager, META)));
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    NDArray base = y.get("y");
    NDArray quadratic = base.square().mul(curvatures).sum().mul(half);
    return metaInitialization ? quadratic : quadratic.sub(base.mul(x.get("x")).sum());
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    return y.get("y")
        .sub(target)
        .square()
        .sum()
        .mul(half)
        .add(x.get("x").square().sum().mul(halfPenalty));
  }

  @Override
  public Variables initialBase(Variables x) {
    NDArray start =
        metaInitialization
            ? x.get("x").neg().neg() // a differentiable copy: y_0 = x
            : manager.zeros(target.getShape(), DataType.FLOAT64);
    return Variables.of(Map.of("y", start));
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  /** {@code y_t} by the closed form. */
  double[] iterate(int t, double lr) {
    double[] y = new double[META.length];
    for (int i = 0; i < y.length; i++) {
      double r = Math.pow(1 - lr * CURVATURES[i], t);
      y[i] = metaInitialization ? r * META[i] : (1 - r) * META[i] / CURVATURES[i];
    }
    return y;
  }

  /** The reverse pass over {@code [k, T)} by the closed form. */
  double[] hypergradient(int steps, int first, double lr) {
    double[] last = iterate(steps, lr);
    double[] h = new double[META.length];
    for (int i = 0; i < h.length; i++) {
      double r = Math.pow(1 - lr * CURVATURES[i], steps - first);
      double sensitivity = metaInitialization ? r : (1 - r) / CURVATURES[i];
      h[i] = PENALTY * META[i] + sensitivity * (last[i] - TARGET[i]);
    }
    return h;
  }

  /** {@code F(x, y)} by the closed form. */
  static double upperObjective(double[] y) {
    double value = 0;
    for (int i = 0; i < y.length; i++) {
      value += 0.5 * (y[i] - TARGET[i]) * (y[i] - TARGET[i]) + 0.5 * PENALTY * META[i] * META[i];
    }
    return value;
  }
}
