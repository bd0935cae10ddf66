package org.boml.plugins.bda;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link DescentAggregation} as iteration module {@code bda}. */
public final class BdaProvider implements IterationModuleProvider {
  /** The option that sets {@code alpha}, the aggregation weight of the first step. */
  public static final String ALPHA = "alpha";

  /** The option that sets {@code s_u}, the step size of the upper-level direction. */
  public static final String UPPER_RATE = "s_u";

  /**
   * The option that sets {@code s_l}, the step size of the lower-level direction; named like the
   * learning rate of {@code gd} so that the command line's {@code --inner-lr} sets it.
   */
  public static final String LEARNING_RATE = "lr";

  /**
   * The option that learns {@code alpha}: {@code false}, {@code true} (a scalar) or {@code
   * per-step}.
   */
  public static final String LEARN_ALPHA = "learn-alpha";

  /** The option that learns {@code s_u}. */
  public static final String LEARN_UPPER_RATE = "learn-s";

  @Override
  public String name() {
    return "bda";
  }

  @Override
  public String description() {
    return "bilevel descent aggregation, y <- y - ((1 - mu_t) lr grad_y f + mu_t s_u grad_y F),"
        + " mu_t = alpha / (t + 1)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            ALPHA,
            "0.5",
            "weight of the upper-level direction at the first step, in [0, 1]; it decays as"
                + " alpha / (t + 1); 0 is plain gradient descent"),
        new OptionSpec(UPPER_RATE, "0.5", "step size s_u of the upper-level direction grad_y F"),
        new OptionSpec(LEARNING_RATE, "0.1", "step size s_l of the lower-level direction grad_y f"),
        new OptionSpec(
            LEARN_ALPHA,
            "false",
            "true: learn alpha as the scalar meta-parameter bda.alpha (BOML's learn_alpha),"
                + " mu_t = bda.alpha / (t + 1); per-step: learn one weight per inner step, mu_t ="
                + " bda.alpha[t] (BOML's learn_alpha_itr), starting from alpha / (t + 1); false:"
                + " alpha is a constant"),
        new OptionSpec(
            LEARN_UPPER_RATE,
            "false",
            "true: learn s_u as s_u = exp(bda.log-s_u), a meta-parameter initialized to log(s_u)"
                + " (BOML's learn_st learns s)"));
  }

  /**
   * Differentiable steps on a state of the base parameters only; since the upper-level weight
   * {@code mu_t} vanishes, the limits are stationary points of {@code f} (Liu et al. prove
   * convergence to lower-level solutions). The step is not plain gradient descent unless {@code
   * alpha = 0}, which is not worth a special case. Learned weights or {@code s_u} are
   * meta-parameters the steps read, and a learned per-step weight need not vanish.
   */
  @Override
  public Set<String> capabilities(Options options) {
    LearnedWeights.Aggregation aggregation = aggregation(options);
    if (aggregation == LearnedWeights.Aggregation.FIXED && !learnsUpperRate(options)) {
      return Set.of(
          Capabilities.DIFFERENTIABLE_STEPS,
          Capabilities.SINGLE_STATE,
          Capabilities.STATIONARY_LIMIT,
          Capabilities.STEPS_WITHOUT_META_PARAMETERS);
    }
    return aggregation == LearnedWeights.Aggregation.PER_STEP
        ? Set.of(Capabilities.DIFFERENTIABLE_STEPS, Capabilities.SINGLE_STATE)
        : Set.of(
            Capabilities.DIFFERENTIABLE_STEPS,
            Capabilities.SINGLE_STATE,
            Capabilities.STATIONARY_LIMIT);
  }

  @Override
  public IterationModule create(Options options) {
    return new DescentAggregation(
        aggregation(options),
        alpha(options),
        options.getDouble(UPPER_RATE, v -> v > 0, "a positive number"),
        learnsUpperRate(options),
        options.getDouble(LEARNING_RATE, v -> v > 0, "a positive number"));
  }

  /**
   * Without the number of steps, only a scalar weight can be learned.
   *
   * @throws IllegalArgumentException with {@code learn-alpha=per-step}, which needs {@code T}
   */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    if (aggregation(options) == LearnedWeights.Aggregation.PER_STEP) {
      throw new IllegalArgumentException(
          "bda with learn-alpha=per-step adds one weight per inner step, so it needs the number"
              + " of steps: call modelExtension(options, steps)");
    }
    return modelExtension(options, 0);
  }

  /** Adds {@code bda.alpha} and {@code bda.log-s_u} to {@code x} as far as the options ask. */
  @Override
  public Optional<ModelExtension> modelExtension(Options options, int steps) {
    LearnedWeights.Aggregation aggregation = aggregation(options);
    boolean upper = learnsUpperRate(options);
    if (aggregation == LearnedWeights.Aggregation.FIXED && !upper) {
      return Optional.empty();
    }
    return Optional.of(
        new LearnedWeights(
            aggregation,
            alpha(options),
            steps,
            options.getDouble(UPPER_RATE, v -> v > 0, "a positive number"),
            upper));
  }

  private static double alpha(Options options) {
    return options.getDouble(ALPHA, v -> v >= 0 && v <= 1, "a number in [0, 1]");
  }

  private static LearnedWeights.Aggregation aggregation(Options options) {
    return switch (options.getChoice(LEARN_ALPHA, Set.of("false", "true", "per-step"))) {
      case "true" -> LearnedWeights.Aggregation.SCALAR;
      case "per-step" -> LearnedWeights.Aggregation.PER_STEP;
      default -> LearnedWeights.Aggregation.FIXED;
    };
  }

  private static boolean learnsUpperRate(Options options) {
    return Boolean.parseBoolean(options.getChoice(LEARN_UPPER_RATE, Set.of("true", "false")));
  }
}
