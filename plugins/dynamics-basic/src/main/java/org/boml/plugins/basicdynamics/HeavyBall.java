package org.boml.plugins.basicdynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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

/**
 * Gradient descent with heavy-ball momentum (Polyak, 1964) on the lower-level objective:
 *
 * <pre>
 *   v_{t+1} = mu v_t + grad_y f_t(x, y_t),   y_{t+1} = y_t - lr v_{t+1},   v_0 = 0.
 * </pre>
 *
 * <p>The velocity is part of the lower-level state, since {@code Psi_t} sees only {@code (x, y_t)}:
 * the state holds every base parameter {@code p} followed by one variable {@code p#velocity} of its
 * shape ({@link #velocityName(String)}), so hypergradient modules carry the velocity through their
 * forward and reverse passes like any other part of {@code y} (the reverse pass gets the adjoint of
 * the velocity too, which the exact hypergradient needs). This module passes only the base
 * parameters to {@code f}. Hypergradient modules evaluate {@code F} on the whole state, and the
 * runtime's problems remove the velocities before a user's objectives or the model see them ({@link
 * org.boml.runtime.problem.BaseParametersOnly} for {@link org.boml.runtime.problem.Bilevel} and
 * {@link org.boml.runtime.train.HyperparameterOptimizer}, {@link
 * org.boml.runtime.problem.SupervisedProblem} for meta-training): {@code f} and {@code F} see only
 * the base parameters. Since {@code F} does not depend on the velocity, its adjoint at {@code y_T}
 * is zero.
 *
 * <p>The coefficient {@code mu} is a constant, or learned: {@code mu = sigmoid(x[name])}, read from
 * a one-element meta-parameter holding the logit of {@code mu}, so that it stays in {@code (0, 1)}
 * (provider option {@code learn-momentum=true} adds {@value #LOGIT_MOMENTUM}, initialized to {@code
 * log(mu / (1 - mu))}). With {@code mu = 0} the base parameters follow {@link GradientDescent}
 * exactly. The module is stateless and may be shared by threads.
 */
public final class HeavyBall implements IterationModule {
  /** What a base parameter's name is followed by to name its velocity. */
  public static final String VELOCITY_SUFFIX = "#velocity";

  /** The meta-parameter that holds the logit of a learned {@code mu}. */
  public static final String LOGIT_MOMENTUM = "momentum.logit-momentum";

  private final StepSize stepSize;
  private final double momentum;
  private final String momentumVariable;

  /**
   * Heavy-ball dynamics.
   *
   * @param learningRate the step size {@code lr > 0}
   * @param momentum the velocity's decay {@code 0 <= mu < 1}
   */
  public HeavyBall(double learningRate, double momentum) {
    this(StepSize.fixed(learningRate), momentum);
  }

  /**
   * Heavy-ball dynamics with a fixed or learned step size ({@link StepSize}).
   *
   * @param stepSize the step size
   * @param momentum the velocity's decay {@code 0 <= mu < 1}
   */
  public HeavyBall(StepSize stepSize, double momentum) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    this.stepSize = Objects.requireNonNull(stepSize, "stepSize");
    this.momentum = momentum;
    this.momentumVariable = null;
  }

  /**
   * Heavy-ball dynamics whose coefficient is learned, {@code mu = sigmoid(x[momentumLogit])}.
   *
   * @param stepSize the step size
   * @param momentumLogit the one-element variable of {@code x} that holds {@code logit(mu)}
   */
  public HeavyBall(StepSize stepSize, String momentumLogit) {
    if (momentumLogit == null || momentumLogit.isBlank()) {
      throw new IllegalArgumentException("the learned momentum needs the name of its variable");
    }
    this.stepSize = Objects.requireNonNull(stepSize, "stepSize");
    this.momentum = Double.NaN;
    this.momentumVariable = momentumLogit;
  }

  /**
   * The name of the velocity of a base parameter.
   *
   * @param parameter the parameter's name
   * @return {@code parameter + "#velocity"}
   */
  public static String velocityName(String parameter) {
    return parameter + VELOCITY_SUFFIX;
  }

  /**
   * The base parameters of a state, without the velocities.
   *
   * @param state parameters and velocities
   * @return the parameters, in order
   */
  public static Variables parameters(Variables state) {
    return state.select(name -> !name.endsWith(VELOCITY_SUFFIX));
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
   * The velocity's constant decay.
   *
   * @return {@code mu}
   * @throws IllegalStateException if {@code mu} is learned
   */
  public double momentum() {
    if (momentumVariable != null) {
      throw new IllegalStateException(
          "the momentum is learned, mu = sigmoid(x[" + momentumVariable + "])");
    }
    return momentum;
  }

  /**
   * The problem's {@code y_0} followed by zero velocities.
   *
   * @return {@code (Psi_0(x), 0)}
   */
  @Override
  public Variables initialize(Variables x, BilevelProblem problem, Differentiator differentiator) {
    Variables base = problem.initialBase(x);
    Map<String, NDArray> velocities = new LinkedHashMap<>();
    base.asMap()
        .forEach(
            (name, value) -> {
              if (name.endsWith(VELOCITY_SUFFIX)) {
                throw new IllegalArgumentException(
                    "base parameter '"
                        + name
                        + "' ends with "
                        + VELOCITY_SUFFIX
                        + ", which momentum reserves");
              }
              velocities.put(
                  velocityName(name),
                  problem.manager().zeros(value.getShape(), value.getDataType()));
            });
    return base.merge(Variables.of(velocities));
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
    List<NDArray> velocities = new ArrayList<>(parameters.size());
    for (String name : parameters.names()) {
      if (!y.contains(velocityName(name))) {
        throw new IllegalArgumentException(
            "the momentum state lacks '"
                + velocityName(name)
                + "'; start from HeavyBall.initialize");
      }
      velocities.add(y.get(velocityName(name)));
    }
    if (y.size() != 2 * parameters.size()) {
      throw new IllegalArgumentException(
          "the momentum state has velocities without parameters: " + y);
    }
    Variables tracked = parameters.map(differentiator::track);
    NDArray objective = problem.lowerObjective(step, x, tracked);
    List<NDArray> gradients = differentiator.gradient(objective, tracked.values(), differentiable);
    NDArray decay = decay(x, problem, differentiator, objective.getDataType(), differentiable);
    NDArray negativeRate =
        stepSize.negative(x, problem, differentiator, objective.getDataType(), differentiable);
    List<NDArray> current = tracked.values();
    Map<String, NDArray> nextParameters = new LinkedHashMap<>();
    Map<String, NDArray> nextVelocities = new LinkedHashMap<>();
    for (int i = 0; i < current.size(); i++) {
      NDArray velocity = differentiable ? velocities.get(i) : velocities.get(i).stopGradient();
      NDArray base = differentiable ? current.get(i) : current.get(i).stopGradient();
      NDArray nextVelocity = UpdateRules.momentumVelocity(velocity, gradients.get(i), decay);
      String name = parameters.names().get(i);
      nextParameters.put(name, nextVelocity.mul(negativeRate).add(base));
      nextVelocities.put(velocityName(name), nextVelocity);
    }
    Variables next = Variables.of(nextParameters).merge(Variables.of(nextVelocities));
    next.requireSameNames(y);
    return next;
  }

  /** {@code mu}: the constant, or {@code sigmoid(x[name]) = 1 / (1 + exp(-x[name]))}. */
  private NDArray decay(
      Variables x,
      BilevelProblem problem,
      Differentiator differentiator,
      DataType type,
      boolean differentiable) {
    if (momentumVariable == null) {
      return differentiator.constant(problem.manager(), momentum, type);
    }
    NDArray logit = LearnedScalar.read(x, momentumVariable, "the momentum's logit", type);
    NDArray one = differentiator.constant(problem.manager(), 1, type);
    NDArray mu = one.div(one.add(logit.neg().exp()));
    return differentiable ? mu : mu.stopGradient();
  }
}
