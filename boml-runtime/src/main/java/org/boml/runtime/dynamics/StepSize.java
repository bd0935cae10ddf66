package org.boml.runtime.dynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.boml.api.BilevelProblem;
import org.boml.api.Capabilities;
import org.boml.api.Differentiator;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.api.Variables;

/**
 * The step size of the built-in dynamics ({@code gd}, {@code momentum}, {@code adam}): a constant
 * {@code lr}, or a hyperparameter read from the meta-parameters, {@code lr = exp(x[name])}, so that
 * it is learned like any meta-parameter (the hypergradient flows into it through every step) and
 * stays positive.
 *
 * <p>The providers take it from two options: {@code lr} (the constant) and {@value #VARIABLE} (the
 * name of a variable of {@code x} with exactly one element, holding {@code log lr}; empty for
 * none). When {@value #VARIABLE} is set, {@code lr} is not used. A learned step size depends on
 * {@code x}, so such dynamics are not a {@link org.boml.api.Capabilities#GRADIENT_STEP}: methods
 * whose formula assumes a constant step size ({@code darts}) are refused.
 *
 * <p>The variable must be among the meta-parameters the hypergradient module differentiates: with a
 * user's own {@link BilevelProblem} (a {@link org.boml.runtime.problem.Bilevel} run by {@link
 * org.boml.runtime.train.HyperparameterOptimizer}) that is whatever the user puts in {@code x}; the
 * meta-training loop's {@code x} holds the model's meta-parameters only, so there the option fails
 * at the first step with a message naming {@code x}'s variables.
 */
public final class StepSize {
  /** The option that names the variable of {@code x} that holds {@code log lr}. */
  public static final String VARIABLE = "lr-variable";

  private final double constant;
  private final String variable;

  private StepSize(double constant, String variable) {
    this.constant = constant;
    this.variable = variable;
  }

  /**
   * A constant step size.
   *
   * @param learningRate {@code lr > 0}
   * @return the step size
   */
  public static StepSize fixed(double learningRate) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive number, got " + learningRate);
    }
    return new StepSize(learningRate, null);
  }

  /**
   * A step size {@code exp(x[name])}.
   *
   * @param name the variable of {@code x} that holds {@code log lr}
   * @return the step size
   */
  public static StepSize fromVariable(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the lr variable needs a name");
    }
    return new StepSize(Double.NaN, name);
  }

  /**
   * The step size a provider's options describe.
   *
   * @param options options with {@code lr} and {@value #VARIABLE}
   * @param learningRate the name of the constant's option, {@code lr}
   * @return a learned step size if {@value #VARIABLE} is set, else the constant
   */
  static StepSize of(Options options, String learningRate) {
    String name = options.get(VARIABLE).trim();
    return name.isEmpty()
        ? fixed(options.getDouble(learningRate, v -> v > 0, "a positive number"))
        : fromVariable(name);
  }

  /**
   * Whether the options ask for a learned step size.
   *
   * @param options the provider's options
   * @return true if {@value #VARIABLE} is set
   */
  static boolean learned(Options options) {
    return !options.get(VARIABLE).trim().isEmpty();
  }

  /**
   * The capabilities of dynamics with this step size option: {@code always}, and with a constant
   * step size also {@code withAConstant} and {@link Capabilities#STEPS_WITHOUT_META_PARAMETERS} (a
   * learned one is a meta-parameter the steps read).
   *
   * @param options the provider's options
   * @param always what the dynamics have whatever the step size
   * @param withAConstant what they have only with a constant step size
   * @return the capabilities
   */
  static Set<String> capabilities(Options options, Set<String> always, Set<String> withAConstant) {
    if (learned(options)) {
      return always;
    }
    Set<String> all = new HashSet<>(always);
    all.addAll(withAConstant);
    all.add(Capabilities.STEPS_WITHOUT_META_PARAMETERS);
    return Set.copyOf(all);
  }

  /**
   * The declaration of the {@value #VARIABLE} option.
   *
   * @return the option
   */
  static OptionSpec option() {
    return new OptionSpec(
        VARIABLE,
        "",
        "if set, the name of a one-element variable of x that holds log(lr): the step size is"
            + " exp(x[name]), learned with the meta-parameters, and option lr is not used");
  }

  /**
   * The constant, if the step size is not learned.
   *
   * @return {@code lr}, or empty for a learned step size
   */
  public Optional<Double> constant() {
    return variable == null ? Optional.of(constant) : Optional.empty();
  }

  /**
   * The name of the variable, if the step size is learned.
   *
   * @return the name, or empty for a constant
   */
  public Optional<String> variable() {
    return Optional.ofNullable(variable);
  }

  /**
   * {@code -lr} as a 0-dimensional array: a graph-safe constant, or {@code -exp(x[name])},
   * differentiable with respect to {@code x[name]} when the step is.
   *
   * @param x the meta-parameters
   * @param problem whose manager holds a constant
   * @param differentiator the autodiff
   * @param type the type of the result
   * @param differentiable whether the result keeps its graph
   * @return {@code -lr}
   * @throws IllegalArgumentException if {@code x} lacks the variable or it has more than one
   *     element
   */
  NDArray negative(
      Variables x,
      BilevelProblem problem,
      Differentiator differentiator,
      DataType type,
      boolean differentiable) {
    if (variable == null) {
      return differentiator.constant(problem.manager(), -constant, type);
    }
    if (!x.contains(variable)) {
      throw new IllegalArgumentException(
          VARIABLE
              + "="
              + variable
              + " but x has no variable '"
              + variable
              + "'; x holds "
              + x.names()
              + ". Add a one-element variable holding log(lr) to the meta-parameters,"
              + " or leave "
              + VARIABLE
              + " unset");
    }
    NDArray logRate = x.get(variable);
    if (logRate.size() != 1) {
      throw new IllegalArgumentException(
          VARIABLE
              + "="
              + variable
              + " must name a variable with one element,"
              + " but it has shape "
              + logRate.getShape());
    }
    NDArray rate = logRate.reshape(new Shape()).exp();
    if (rate.getDataType() != type) {
      throw new IllegalArgumentException(
          "the lr variable '"
              + variable
              + "' is "
              + rate.getDataType()
              + " but the objective is "
              + type);
    }
    return differentiable ? rate.neg() : rate.neg().stopGradient();
  }

  @Override
  public String toString() {
    return variable == null ? "lr=" + constant : "lr=exp(x[" + variable + "])";
  }
}
