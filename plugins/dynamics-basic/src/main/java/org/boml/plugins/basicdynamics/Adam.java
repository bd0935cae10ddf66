package org.boml.plugins.basicdynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.UpdateRules;
import org.boml.api.blocks.UpdateRules.AdamCoefficients;
import org.boml.api.blocks.UpdateRules.AdamConstants;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) as differentiable
 * lower-level dynamics: with {@code g = grad_y f_t(x, y)},
 *
 * <pre>
 *   m' = b1 m + (1 - b1) g,   v' = b2 v + (1 - b2) g^2,   k' = k + 1,
 *   y' = y - lr (m' / (1 - b1^k')) / (sqrt(max(v' / (1 - b2^k'), 1e-30)) + eps),
 *   m_0 = v_0 = 0,  k_0 = 0.
 * </pre>
 *
 * <p>As for {@link HeavyBall}, {@code Psi_t} sees only {@code (x, y_t)}, so the moments and the
 * step count are part of the lower-level state: every base parameter {@code p} is followed by
 * {@code p#adam-m} and {@code p#adam-v} ({@link #firstMomentName}, {@link #secondMomentName}), and
 * the state ends with the scalar count {@value #STEP} (of the parameters' type). Hypergradient
 * modules carry them through their forward and reverse passes like any other part of {@code y}.
 * This module passes only the base parameters to {@code f}; modules pass the whole state to {@code
 * F}, and the runtime's problems remove the state before a user's objectives or the model see it
 * ({@link org.boml.runtime.problem.BaseParametersOnly}, {@link
 * org.boml.runtime.problem.SupervisedProblem}).
 *
 * <p>The only departure from the paper is the floor of {@code 1e-30} under the bias-corrected
 * second moment inside the square root: the derivative of {@code sqrt} is infinite at 0, so a
 * gradient component that is exactly zero (a dead ReLU unit) would turn the hypergradient into NaN.
 * Above the floor nothing changes, and below it the step differs by less than {@code 1e-15 / eps}
 * of {@code lr}. The maths is {@link UpdateRules}, the same as the outer optimizer {@code adam}'s.
 * The module is stateless and may be shared by threads.
 */
public final class Adam implements IterationModule {
  /** What a base parameter's name is followed by to name its first moment. */
  public static final String FIRST_MOMENT_SUFFIX = "#adam-m";

  /** What a base parameter's name is followed by to name its second moment. */
  public static final String SECOND_MOMENT_SUFFIX = "#adam-v";

  /** The name of the step count in the state. */
  public static final String STEP = "#adam-step";

  /** The floor under the bias-corrected second moment inside the square root. */
  public static final double SECOND_MOMENT_FLOOR = UpdateRules.SECOND_MOMENT_FLOOR;

  private final StepSize stepSize;
  private final AdamConstants constants;

  /**
   * Adam dynamics.
   *
   * @param learningRate the step size {@code lr > 0}
   * @param beta1 the decay of the first moment, in {@code [0, 1)}
   * @param beta2 the decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to the denominator, {@code > 0}
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this(StepSize.fixed(learningRate), beta1, beta2, epsilon);
  }

  /**
   * Adam dynamics with a fixed or learned step size ({@link StepSize}).
   *
   * @param stepSize the step size
   * @param beta1 the decay of the first moment, in {@code [0, 1)}
   * @param beta2 the decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to the denominator, {@code > 0}
   */
  public Adam(StepSize stepSize, double beta1, double beta2, double epsilon) {
    this.constants = new AdamConstants(beta1, beta2, epsilon);
    this.stepSize = Objects.requireNonNull(stepSize, "stepSize");
  }

  /**
   * The name of the first moment of a base parameter.
   *
   * @param parameter the parameter's name
   * @return {@code parameter + "#adam-m"}
   */
  public static String firstMomentName(String parameter) {
    return parameter + FIRST_MOMENT_SUFFIX;
  }

  /**
   * The name of the second moment of a base parameter.
   *
   * @param parameter the parameter's name
   * @return {@code parameter + "#adam-v"}
   */
  public static String secondMomentName(String parameter) {
    return parameter + SECOND_MOMENT_SUFFIX;
  }

  /**
   * The base parameters of a state, without the moments and the step count.
   *
   * @param state parameters, moments and count
   * @return the parameters, in order
   */
  public static Variables parameters(Variables state) {
    return state.select(Adam::isParameter);
  }

  private static boolean isParameter(String name) {
    return !name.endsWith(FIRST_MOMENT_SUFFIX)
        && !name.endsWith(SECOND_MOMENT_SUFFIX)
        && !name.equals(STEP);
  }

  /**
   * The constant step size.
   *
   * @return {@code lr}
   * @throws IllegalStateException if the step size is learned
   */
  public double learningRate() {
    return stepSize
        .constant()
        .orElseThrow(() -> new IllegalStateException("the step size is " + stepSize));
  }

  /**
   * The moments' decays and the denominator's constant.
   *
   * @return {@code {beta1, beta2, epsilon}}
   */
  public double[] constants() {
    return new double[] {constants.beta1(), constants.beta2(), constants.epsilon()};
  }

  /**
   * The problem's {@code y_0} followed by zero moments and a zero step count.
   *
   * @return {@code (Psi_0(x), m_0 = 0, v_0 = 0, k_0 = 0)}
   */
  @Override
  public Variables initialize(Variables x, BilevelProblem problem, Differentiator differentiator) {
    Variables base = problem.initialBase(x);
    Map<String, NDArray> first = new LinkedHashMap<>();
    Map<String, NDArray> second = new LinkedHashMap<>();
    base.asMap()
        .forEach(
            (name, value) -> {
              if (!isParameter(name)) {
                throw new IllegalArgumentException(
                    "base parameter '"
                        + name
                        + "' uses a name that adam reserves ("
                        + FIRST_MOMENT_SUFFIX
                        + ", "
                        + SECOND_MOMENT_SUFFIX
                        + ", "
                        + STEP
                        + ")");
              }
              first.put(
                  firstMomentName(name),
                  problem.manager().zeros(value.getShape(), value.getDataType()));
              second.put(
                  secondMomentName(name),
                  problem.manager().zeros(value.getShape(), value.getDataType()));
            });
    DataType type = base.values().get(0).getDataType();
    return base.merge(Variables.of(first))
        .merge(Variables.of(second))
        .merge(Variables.of(Map.of(STEP, problem.manager().zeros(new Shape(), type))));
  }

  @Override
  public Variables step(
      int step,
      Variables x,
      Variables y,
      BilevelProblem problem,
      Differentiator differentiator,
      boolean differentiable) {
    Variables parameters = parameters(y);
    int n = parameters.size();
    if (!y.contains(STEP) || y.size() != 3 * n + 1) {
      throw new IllegalArgumentException(
          "the adam state must hold every parameter, its "
              + FIRST_MOMENT_SUFFIX
              + " and "
              + SECOND_MOMENT_SUFFIX
              + " moments and "
              + STEP
              + "; start from Adam.initialize. Got "
              + y);
    }
    List<NDArray> firsts = new ArrayList<>(n);
    List<NDArray> seconds = new ArrayList<>(n);
    for (String name : parameters.names()) {
      firsts.add(input(y, firstMomentName(name), differentiable));
      seconds.add(input(y, secondMomentName(name), differentiable));
    }
    NDArray count = input(y, STEP, differentiable);
    Variables tracked = parameters.map(differentiator::track);
    NDArray objective = problem.lowerObjective(step, x, tracked);
    List<NDArray> gradients = differentiator.gradient(objective, tracked.values(), differentiable);
    DataType type = objective.getDataType();
    NDArray negativeRate = stepSize.negative(x, problem, differentiator, type, differentiable);
    NDArray nextCount = count.add(constant(problem, differentiator, 1, type));
    AdamCoefficients coefficients =
        constants.at(nextCount, value -> constant(problem, differentiator, value, type));
    List<NDArray> current = tracked.values();
    Map<String, NDArray> nextParameters = new LinkedHashMap<>();
    Map<String, NDArray> nextFirsts = new LinkedHashMap<>();
    Map<String, NDArray> nextSeconds = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      NDArray g = gradients.get(i);
      NDArray m = UpdateRules.adamFirstMoment(firsts.get(i), g, coefficients);
      NDArray v = UpdateRules.adamSecondMoment(seconds.get(i), g, coefficients);
      NDArray update = UpdateRules.adamDirection(m, v, coefficients);
      NDArray base = differentiable ? current.get(i) : current.get(i).stopGradient();
      String name = parameters.names().get(i);
      nextParameters.put(name, update.mul(negativeRate).add(base));
      nextFirsts.put(firstMomentName(name), m);
      nextSeconds.put(secondMomentName(name), v);
    }
    Variables next =
        Variables.of(nextParameters)
            .merge(Variables.of(nextFirsts))
            .merge(Variables.of(nextSeconds))
            .merge(Variables.of(Map.of(STEP, nextCount)));
    next.requireSameNames(y);
    return next;
  }

  private static NDArray input(Variables y, String name, boolean differentiable) {
    if (!y.contains(name)) {
      throw new IllegalArgumentException(
          "the adam state lacks '" + name + "'; start from Adam.initialize");
    }
    return differentiable ? y.get(name) : y.get(name).stopGradient();
  }

  private static NDArray constant(
      BilevelProblem problem, Differentiator differentiator, double value, DataType type) {
    return differentiator.constant(problem.manager(), value, type);
  }
}
