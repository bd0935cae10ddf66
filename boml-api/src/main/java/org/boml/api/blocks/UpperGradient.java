package org.boml.api.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Objects;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * The upper objective {@code F(x, y)} and both its partial gradients at one point, taken in one
 * call to the differentiator and without a graph; {@link #atEnd} is the prelude of the methods that
 * work at the end of the lower-level steps (implicit differentiation, DARTS, a Neumann series): run
 * the {@code T} steps without a graph, then take the derivatives at {@code y_T}. The gradient is
 * {@link Differentiator#finalGradient}: {@code F}'s graph is freed as its backward pass runs (API
 * 1.6).
 *
 * @param point {@code y} as fresh leaves that require a gradient (the arrays the derivatives were
 *     taken at): further derivatives at the same point, such as {@code grad_y f} with a graph for
 *     Hessian-vector products, are taken with respect to them
 * @param gradientX {@code partial_x F(x, y)}, with the names of {@code x}
 * @param gradientY {@code grad_y F(x, y)}, with the names of {@code y}
 * @param value {@code F(x, y)}
 * @since 1.4.0
 */
public record UpperGradient(
    Variables point, Variables gradientX, Variables gradientY, double value) {
  /**
   * Checks that the variables are present.
   *
   * @param point see the record description
   * @param gradientX see the record description
   * @param gradientY see the record description
   * @param value see the record description
   */
  public UpperGradient {
    Objects.requireNonNull(point, "point");
    Objects.requireNonNull(gradientX, "gradientX");
    Objects.requireNonNull(gradientY, "gradientY");
  }

  /**
   * {@code F} and its gradients at {@code (x, y)}.
   *
   * @param problem the task
   * @param x the meta-parameters, as arrays that take part in the graph
   * @param y the base parameters; leaves are made of them, they are not changed
   * @param d the runtime's autodiff
   * @return the value and the gradients
   */
  public static UpperGradient at(
      BilevelProblem problem, Variables x, Variables y, Differentiator d) {
    Variables point = y.map(d::leaf);
    NDArray objective = problem.upperObjective(x, point);
    List<NDArray> both = d.finalGradient(objective, Variables.concat(x, point));
    return new UpperGradient(
        point,
        x.withValues(both.subList(0, x.size())),
        point.withValues(both.subList(x.size(), both.size())),
        objective.toType(DataType.FLOAT64, false).getDouble());
  }

  /**
   * Runs the {@code T} lower-level steps without a graph (keeping only {@code y_T}, so memory does
   * not grow with {@code T}) and takes {@code F} and its gradients at {@code y_T}. Methods that
   * then differentiate the lower objective at {@code y_T} use the objective {@code f_{T-1}} of the
   * last step, so there must be one.
   *
   * @param problem the task
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters, as arrays that take part in the graph
   * @param steps {@code T >= 1}
   * @param d the runtime's autodiff
   * @return the value and the gradients at {@code y_T}
   * @throws IllegalArgumentException if {@code T < 1}
   */
  public static UpperGradient atEnd(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    requireSteps(steps);
    return at(problem, x, Trajectory.run(problem, dynamics, x, steps, steps, d).last(), d);
  }

  /**
   * Refuses {@code T < 1} for a method that differentiates at the end of the lower-level steps with
   * the objective {@code f_{T-1}} of the last one.
   *
   * @param steps {@code T}
   * @throws IllegalArgumentException if {@code T < 1}
   */
  public static void requireSteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "this hypergradient differentiates at the end of the lower-level steps with the"
              + " objective of the last one, and needs at least one step, got "
              + steps);
    }
  }
}
