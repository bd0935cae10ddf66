package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.ReversePass;
import org.boml.api.blocks.Trajectory;

/**
 * Checks a hypergradient against central finite differences of a scalar function of the
 * meta-parameters, along random unit directions: {@code (J(x + h v) - J(x - h v)) / 2h} against
 * {@code <g, v>}. Run it in float64.
 */
public final class HypergradientCheck {
  private HypergradientCheck() {}

  /**
   * The comparison along one direction.
   *
   * @param analytic {@code <g, v>}
   * @param numeric the central difference
   */
  public record Direction(double analytic, double numeric) {
    /**
     * The relative error, against the larger of the two magnitudes (at least {@code 1e-12}).
     *
     * @return {@code |analytic - numeric| / max(|analytic|, |numeric|)}
     */
    public double relativeError() {
      double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), 1e-12);
      return Math.abs(analytic - numeric) / scale;
    }
  }

  /**
   * Compares a gradient with finite differences of a function.
   *
   * @param function {@code J}, evaluated at perturbed meta-parameters
   * @param x the point, float64
   * @param gradient the claimed {@code dJ/dx}
   * @param directions how many random directions
   * @param step the finite-difference step {@code h}
   * @param seed fixes the directions
   * @return one comparison per direction
   */
  public static List<Direction> compare(
      ToDoubleFunction<Variables> function,
      Variables x,
      Variables gradient,
      int directions,
      double step,
      long seed) {
    Random random = new Random(seed);
    List<Direction> result = new ArrayList<>(directions);
    for (int k = 0; k < directions; k++) {
      try (NDManager scratch = x.values().get(0).getManager().newSubManager()) {
        Variables direction = unitDirection(x, random, scratch);
        double analytic = 0;
        for (String name : x.names()) {
          analytic +=
              gradient
                  .get(name)
                  .mul(direction.get(name))
                  .sum()
                  .toType(DataType.FLOAT64, false)
                  .getDouble();
        }
        // scalar arrays, never NDArray.mul(Number) (its Java-backed scalar is unsafe in graphs)
        NDArray up = scratch.create(step).toType(x.values().get(0).getDataType(), false);
        NDArray down = up.neg();
        Variables plus = direction.zip(x, (v, value) -> v.mul(up).add(value));
        Variables minus = direction.zip(x, (v, value) -> v.mul(down).add(value));
        double numeric =
            (function.applyAsDouble(plus) - function.applyAsDouble(minus)) / (2 * step);
        result.add(new Direction(analytic, numeric));
      }
    }
    return result;
  }

  /**
   * The largest relative error of a comparison.
   *
   * @param directions the comparisons
   * @return the worst relative error
   */
  public static double worst(List<Direction> directions) {
    return directions.stream().mapToDouble(Direction::relativeError).max().orElse(0);
  }

  /**
   * The unrolled objective {@code F(x, y_T(x))} with {@code y_T} from {@code T} steps of the
   * dynamics (no graph kept).
   *
   * @param problem the problem
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @return the objective's value
   */
  public static double unrolledObjective(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator) {
    try (NDManager scratch = problem.manager().newSubManager()) {
      Variables y = run(problem, dynamics, x, steps, differentiator, false);
      return scalar(problem.upperObjective(x, y), scratch);
    }
  }

  /**
   * The exact hypergradient {@code dF(x, y_T(x))/dx} by reverse mode through the unrolled graph of
   * {@code T} differentiable steps (what {@code rhg} computes), for tests of dynamics plugins.
   *
   * @param problem the problem
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters (fresh leaves are made from them)
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @return {@code dF/dx}, without a graph
   */
  public static Variables unrolledHypergradient(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator) {
    Variables leaves = x.map(differentiator::leaf);
    Variables y = run(problem, dynamics, leaves, steps, differentiator, true);
    return differentiator.gradient(problem.upperObjective(leaves, y), leaves, false);
  }

  /**
   * Reverse mode by replay over the stored iterates of {@code T} steps, one step recomputed with
   * its graph at a time: the runtime's own {@link ReversePass} over a {@link Trajectory} of the
   * whole window ({@code k = 0}), which is what {@code rhg}'s replay strategy runs. The adjoint of
   * every state variable, the dynamics' own (a velocity, moments) included, is carried back through
   * each step, so it equals {@link #unrolledHypergradient} for dynamics that can be replayed.
   *
   * @param problem the problem
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters (fresh leaves are made from them)
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @return {@code dF/dx}, without a graph
   */
  public static Variables replayedHypergradient(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator) {
    Variables leaves = x.map(differentiator::leaf);
    Trajectory trajectory = Trajectory.run(problem, dynamics, leaves, steps, 0, differentiator);
    return ReversePass.hypergradient(problem, dynamics, leaves, trajectory, differentiator)
        .gradient();
  }

  /**
   * Compares a claimed hypergradient with central finite differences (4 random directions, step
   * 1e-6) of the unrolled objective {@code F(x, y_T(x))}: the comparison most tests of exact
   * hypergradients and of dynamics make.
   *
   * @param problem the problem
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters, float64
   * @param gradient the claimed {@code dF(x, y_T(x))/dx}
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @param seed fixes the directions
   * @return one comparison per direction
   */
  public static List<Direction> compareWithUnrolled(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Variables gradient,
      int steps,
      Differentiator differentiator,
      long seed) {
    return compare(
        point -> unrolledObjective(problem, dynamics, point, steps, differentiator),
        x,
        gradient,
        4,
        1e-6,
        seed);
  }

  /**
   * The worst relative error of a claimed hypergradient against central finite differences (4
   * random directions, step 1e-5) of the unrolled objective {@code F(x u fixed, y_T(x u fixed))}.
   *
   * @param problem the problem
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters that are perturbed, float64
   * @param fixed meta-parameters held at their values (e.g. those whose gradient is an estimate)
   * @param gradient the claimed gradient with respect to {@code x}
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @param seed fixes the directions
   * @return the worst relative error
   */
  public static double worstAgainstUnrolled(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Variables fixed,
      Variables gradient,
      int steps,
      Differentiator differentiator,
      long seed) {
    return worst(
        compare(
            point ->
                unrolledObjective(problem, dynamics, point.merge(fixed), steps, differentiator),
            x,
            gradient,
            4,
            1e-5,
            seed));
  }

  /**
   * The worst relative error of what a hypergradient module computes against central finite
   * differences (3 random directions, step 1e-6) of the unrolled objective {@code F(x, y_T(x))}:
   * one row of {@code boml check-plugin}, and the check of {@link
   * org.boml.testkit.contract.HypergradientModuleContract}.
   *
   * @param module the hypergradient module
   * @param problem the problem, float64
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters, float64 (fresh leaves are made from them)
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @param seed fixes the directions
   * @return the worst relative error
   */
  public static double worstOfModule(
      HypergradientModule module,
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator,
      long seed) {
    Hypergradient result =
        module.compute(problem, dynamics, x.map(differentiator::leaf), steps, differentiator);
    return worst(
        compare(
            point -> unrolledObjective(problem, dynamics, point, steps, differentiator),
            x,
            result.gradient(),
            3,
            1e-6,
            seed));
  }

  /**
   * A hypergradient module that returns {@link #unrolledHypergradient}, the exact reverse-mode
   * hypergradient, for training runs in the tests of dynamics plugins (a plugin's tests cannot load
   * {@code rhg}, another plugin).
   *
   * @return the module
   */
  public static HypergradientModule unrolled() {
    return (problem, dynamics, x, steps, d) ->
        new Hypergradient(
            unrolledHypergradient(problem, dynamics, x, steps, d),
            unrolledObjective(problem, dynamics, x, steps, d));
  }

  /**
   * {@code y_T}: {@code T} steps from {@code y_0 = Psi_0(x)}, with or without each step's graph.
   */
  private static Variables run(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator,
      boolean createGraph) {
    Variables y = dynamics.initialize(x, problem, differentiator);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, differentiator, createGraph);
    }
    return y;
  }

  private static double scalar(NDArray value, NDManager scratch) {
    value.attach(scratch);
    return value.toType(DataType.FLOAT64, false).getDouble();
  }

  private static Variables unitDirection(Variables x, Random random, NDManager manager) {
    List<double[]> parts = new ArrayList<>();
    double squares = 0;
    for (NDArray value : x.values()) {
      double[] part = new double[Math.toIntExact(value.size())];
      for (int i = 0; i < part.length; i++) {
        part[i] = random.nextGaussian();
        squares += part[i] * part[i];
      }
      parts.add(part);
    }
    double norm = Math.sqrt(squares);
    List<NDArray> arrays = new ArrayList<>();
    for (int k = 0; k < parts.size(); k++) {
      double[] part = parts.get(k);
      for (int i = 0; i < part.length; i++) {
        part[i] /= norm;
      }
      NDArray value = x.values().get(k);
      arrays.add(manager.create(part, value.getShape()).toType(value.getDataType(), false));
    }
    return x.withValues(arrays);
  }
}
