package org.boml.plugins.basicdynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * <p>The providers take it from three options: {@code lr} (the constant, and the initial value of a
 * learned one), {@value #LEARN} ({@code true}: the provider adds the one-element meta-parameter
 * {@code <dynamics>.log-lr}, initialized to {@code log(lr)}, through its {@link
 * org.boml.api.ModelExtension}, so that it is learned in the meta-training loop ({@link
 * org.boml.runtime.train.MetaLearner}, CLI {@code --dynamics-option learn-lr=true}) and by {@link
 * org.boml.runtime.train.HyperparameterOptimizer} alike) and {@value #VARIABLE} (the name of a
 * variable of {@code x} with exactly one element that the user supplies, holding {@code log lr};
 * empty for none). The two exclude each other. A learned step size depends on {@code x}, so such
 * dynamics are not a {@link org.boml.api.Capabilities#GRADIENT_STEP}: methods whose formula assumes
 * a constant step size ({@code darts}) are refused, and neither are their steps {@link
 * org.boml.api.Capabilities#STEPS_WITHOUT_META_PARAMETERS} ({@code hoag} is refused).
 *
 * <p>A {@value #VARIABLE} must be among the meta-parameters the hypergradient module
 * differentiates: with a user's own {@link BilevelProblem} (a {@link
 * org.boml.runtime.problem.Bilevel} run by {@link org.boml.runtime.train.HyperparameterOptimizer})
 * that is whatever the user puts in {@code x}; the meta-training loop's {@code x} holds the model's
 * meta-parameters and the extension's only, so there use {@value #LEARN}.
 */
public final class StepSize {
  /** The option that names the variable of {@code x} that holds {@code log lr}. */
  public static final String VARIABLE = "lr-variable";

  /** The option that adds a learned {@code log lr} to the meta-parameters. */
  public static final String LEARN = "learn-lr";

  /** What a dynamics' name is followed by to name its learned {@code log lr}. */
  public static final String LOG_RATE_SUFFIX = ".log-lr";

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
   * @param options options with {@code lr}, {@value #LEARN} and {@value #VARIABLE}
   * @param learningRate the name of the constant's option, {@code lr}
   * @param dynamics the provider's name, which names a learned {@code log lr}
   * @return a learned step size if {@value #LEARN} or {@value #VARIABLE} is set, else the constant
   * @throws IllegalArgumentException if both are set
   */
  static StepSize of(Options options, String learningRate, String dynamics) {
    String name = options.get(VARIABLE).trim();
    if (learnedByExtension(options)) {
      if (!name.isEmpty()) {
        throw new IllegalArgumentException(
            dynamics
                + ": options "
                + LEARN
                + "=true and "
                + VARIABLE
                + "="
                + name
                + " exclude each other; keep "
                + LEARN
                + " to have the dynamics add log(lr) to x, or "
                + VARIABLE
                + " to read it from a variable of your own");
      }
      return fromVariable(dynamics + LOG_RATE_SUFFIX);
    }
    return name.isEmpty()
        ? fixed(options.getDouble(learningRate, v -> v > 0, "a positive number"))
        : fromVariable(name);
  }

  /**
   * The learned {@code log lr} the provider adds to {@code x}, if {@value #LEARN} is set.
   *
   * @param options the provider's options
   * @param learningRate the name of the option of the initial step size, {@code lr}
   * @param dynamics the provider's name
   * @return {@code <dynamics>.log-lr -> log(lr)}, or nothing
   */
  static Map<String, Double> added(Options options, String learningRate, String dynamics) {
    if (!learnedByExtension(options)) {
      return Map.of();
    }
    return Map.of(
        dynamics + LOG_RATE_SUFFIX,
        Math.log(options.getDouble(learningRate, v -> v > 0, "a positive number")));
  }

  private static boolean learnedByExtension(Options options) {
    return Boolean.parseBoolean(options.getChoice(LEARN, Set.of("true", "false")));
  }

  /**
   * Whether the options ask for a learned step size.
   *
   * @param options the provider's options
   * @return true if {@value #LEARN} or {@value #VARIABLE} is set
   */
  static boolean learned(Options options) {
    return learnedByExtension(options) || !options.get(VARIABLE).trim().isEmpty();
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
   * A provider's own options followed by the declarations of {@value #LEARN} and {@value
   * #VARIABLE}.
   *
   * @param own the provider's other options
   * @return all its options
   */
  static List<OptionSpec> withOptions(OptionSpec... own) {
    List<OptionSpec> all = new ArrayList<>(List.of(own));
    all.addAll(options());
    return List.copyOf(all);
  }

  private static List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            LEARN,
            "false",
            "true: learn the step size with the meta-parameters, as lr = exp(x[<dynamics>.log-lr]),"
                + " a meta-parameter the dynamics add to x and initialize to log(lr)"),
        new OptionSpec(
            VARIABLE,
            "",
            "if set, the name of a one-element variable of x that holds log(lr): the step size is"
                + " exp(x[name]), learned with the meta-parameters, and option lr is not used"));
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
    NDArray rate = LearnedScalar.read(x, variable, "the step size", type).exp();
    return differentiable ? rate.neg() : rate.neg().stopGradient();
  }

  @Override
  public String toString() {
    return variable == null ? "lr=" + constant : "lr=exp(x[" + variable + "])";
  }
}
