package org.boml.plugins.warpgrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * WarpGrad's meta-gradient (Flennerhag et al. 2020, section 3 and algorithm 2). The lower level
 * runs {@code T} steps without a graph, giving the trajectory {@code y_0, ..., y_T}. The warp
 * parameters (and any other meta-parameter that enters {@code f} or {@code F}) descend
 *
 * <pre>
 *   L(x) = sum_{t=0}^{T-1} w_t F(x, Psi_t(x, y_t)),   y_t held fixed,
 * </pre>
 *
 * the upper objective one step after every trajectory point, with the point itself a constant: no
 * back-propagation through the lower level, only through one step, which the warp layers
 * precondition. The gradient is {@code sum_t w_t dF(x, Psi_t(x, y_t))/dx}, exact for this
 * objective. The weights {@code w_t} are {@code 1/T} ({@link Weighting#UNIFORM}) or {@code 2 (t +
 * 1) / (T (T + 1))} ({@link Weighting#INCREASING}).
 *
 * <p>The initialization {@code y_0 = Psi_0(x)} gets no gradient from {@code L} (the points are
 * constants). With {@link Init#LEAP} it gets the simplified Leap objective of the authors' code
 * ({@code warpgrad/updaters.py}, {@code simplified_leap}): the cotangent {@code sum_t (y_t -
 * y_{t+1}) / (|y_t - y_{t+1}| + 1e-9)} at {@code y_0}, pulled back through {@code Psi_0}, which
 * moves the initialization along the trajectory's unit segments; with {@link Init#NONE} it stays
 * fixed. The reported objective is {@code F(x, y_T)}.
 */
final class WarpGradHypergradient implements HypergradientModule {
  /** The initialization's meta-objective. */
  enum Init {
    /** The simplified Leap gradient along the trajectory. */
    LEAP,
    /** None: the initialization is not learned. */
    NONE
  }

  /** The weights of the trajectory points. */
  enum Weighting {
    /** {@code w_t = 1 / T}. */
    UNIFORM,
    /** {@code w_t = 2 (t + 1) / (T (T + 1))}. */
    INCREASING;

    double weight(int step, int steps) {
      return this == UNIFORM ? 1.0 / steps : 2.0 * (step + 1) / ((double) steps * (steps + 1));
    }
  }

  private static final double SEGMENT_EPSILON = 1e-9;

  private final Init init;
  private final Weighting weighting;

  WarpGradHypergradient(Init init, Weighting weighting) {
    this.init = init;
    this.weighting = weighting;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    if (steps < 1) {
      throw new IllegalArgumentException("warpgrad needs at least one lower-level step, got 0");
    }
    Variables initial = dynamics.initialize(x, problem, d);
    List<Variables> points = new ArrayList<>(steps + 1);
    points.add(initial.map(NDArray::stopGradient));
    for (int t = 0; t < steps; t++) {
      points.add(dynamics.step(t, x, points.get(t), problem, d, false));
    }
    DataType type = x.values().get(0).getDataType();
    Variables gradient = null;
    for (int t = 0; t < steps; t++) {
      Variables next = dynamics.step(t, x, points.get(t), problem, d, true);
      NDArray weight = d.constant(problem.manager(), weighting.weight(t, steps), type);
      Variables term =
          d.gradient(problem.upperObjective(x, next), x, false).map(g -> g.mul(weight));
      gradient = gradient == null ? term : gradient.zip(term, NDArray::add);
    }
    if (init == Init.LEAP) {
      gradient =
          gradient.zip(d.vjp(initial, leapDirection(points, d, problem), x, false), NDArray::add);
    }
    NDArray upper = problem.upperObjective(x, points.get(steps)).stopGradient();
    return Hypergradient.of(gradient, upper);
  }

  /** {@code sum_t (y_t - y_{t+1}) / (|y_t - y_{t+1}| + eps)}, the norm over all variables. */
  private static Variables leapDirection(
      List<Variables> points, Differentiator d, BilevelProblem problem) {
    Variables sum = null;
    for (int t = 0; t + 1 < points.size(); t++) {
      Variables segment = points.get(t).zip(points.get(t + 1), NDArray::sub);
      NDArray squares = null;
      for (NDArray part : segment.values()) {
        NDArray partSquares = part.square().sum();
        squares = squares == null ? partSquares : squares.add(partSquares);
      }
      NDArray length =
          squares.sqrt().add(d.constant(problem.manager(), SEGMENT_EPSILON, squares.getDataType()));
      Variables unit = segment.map(part -> part.div(length));
      sum = sum == null ? unit : sum.zip(unit, NDArray::add);
    }
    return sum;
  }
}
