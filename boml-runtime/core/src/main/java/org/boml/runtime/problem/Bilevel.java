package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;

/**
 * A bilevel problem written as Java functions of {@link Variables}: the lower-level objective
 * {@code f(x, y)}, the upper-level objective {@code F(x, y)} and the initial point {@code y_0 =
 * Psi_0(x)}, for users who define their own problem (hyperparameter optimization, a data
 * reweighting, a toy problem) instead of meta-learning over a dataset:
 *
 * <pre>{@code
 * Bilevel ridge = Bilevel.of(
 *     (x, y) -> squaredError(train, y).add(y.get("w").square().sum().mul(x.get("log_decay").exp())),
 *     (x, y) -> squaredError(validation, y),
 *     x -> Variables.of(Map.of("w", manager.zeros(new Shape(features), DataType.FLOAT64))));
 * BilevelProblem problem = ridge.in(manager);
 * }</pre>
 *
 * <p>A {@code Bilevel} is the definition; {@link #in(NDManager)} binds it to the manager that
 * {@link BilevelProblem#manager()} reports (where the dynamics put their constants), so that the
 * same definition serves one manager per outer iteration ({@link
 * org.boml.runtime.train.HyperparameterOptimizer} does that). The functions must build their
 * results with differentiable operations and without the {@code Number} overloads of {@link
 * NDArray} arithmetic (see {@link org.boml.api.Differentiator#constant}); they must not keep arrays
 * they create between calls. The objectives receive as {@code y} exactly the variables that {@code
 * initialBase} returns, never the dynamics' own state.
 */
public final class Bilevel {
  /** An objective {@code (x, y) -> scalar}. */
  @FunctionalInterface
  public interface Objective {
    /**
     * The objective's value.
     *
     * @param x the meta-parameters (hyperparameters)
     * @param y the base parameters
     * @return a scalar array
     */
    NDArray value(Variables x, Variables y);
  }

  /** A lower-level objective that depends on the step, e.g. a mini-batch per step. */
  @FunctionalInterface
  public interface StepObjective {
    /**
     * The objective's value at a step; the same step must give the same objective.
     *
     * @param step the lower-level step {@code 0 <= t < T}
     * @param x the meta-parameters (hyperparameters)
     * @param y the base parameters
     * @return a scalar array
     */
    NDArray value(int step, Variables x, Variables y);
  }

  private final StepObjective lower;
  private final Objective upper;
  private final UnaryOperator<Variables> initialBase;

  private Bilevel(StepObjective lower, Objective upper, UnaryOperator<Variables> initialBase) {
    this.lower = Objects.requireNonNull(lower, "lower");
    this.upper = Objects.requireNonNull(upper, "upper");
    this.initialBase = Objects.requireNonNull(initialBase, "initialBase");
  }

  /**
   * A problem with a deterministic lower-level objective.
   *
   * @param lower {@code f(x, y)}
   * @param upper {@code F(x, y)}
   * @param initialBase {@code y_0 = Psi_0(x)}, differentiable with respect to {@code x} if it
   *     depends on it
   * @return the definition
   */
  public static Bilevel of(Objective lower, Objective upper, UnaryOperator<Variables> initialBase) {
    Objects.requireNonNull(lower, "lower");
    return new Bilevel((step, x, y) -> lower.value(x, y), upper, initialBase);
  }

  /**
   * A problem whose lower-level objective depends on the step.
   *
   * @param lower {@code f_t(x, y)}
   * @param upper {@code F(x, y)}
   * @param initialBase {@code y_0 = Psi_0(x)}
   * @return the definition
   */
  public static Bilevel ofSteps(
      StepObjective lower, Objective upper, UnaryOperator<Variables> initialBase) {
    return new Bilevel(lower, upper, initialBase);
  }

  /**
   * The problem, with intermediate arrays of the dynamics attached to a manager. Its objectives
   * receive the base parameters only, the variables of {@code y_0}: state the dynamics carry in
   * {@code y} (a velocity, moments) is removed before they are called ({@link BaseParametersOnly}).
   *
   * @param manager what {@link BilevelProblem#manager()} returns
   * @return the problem
   */
  public BilevelProblem in(NDManager manager) {
    Objects.requireNonNull(manager, "manager");
    return BaseParametersOnly.of(
        new BilevelProblem() {
          @Override
          public NDArray lowerObjective(int step, Variables x, Variables y) {
            return lower.value(step, x, y);
          }

          @Override
          public NDArray upperObjective(Variables x, Variables y) {
            return upper.value(x, y);
          }

          @Override
          public Variables initialBase(Variables x) {
            return initialBase.apply(x);
          }

          @Override
          public NDManager manager() {
            return manager;
          }
        });
  }
}
