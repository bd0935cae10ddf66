package org.boml.plugins.bda;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
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
        new OptionSpec(
            LEARNING_RATE, "0.1", "step size s_l of the lower-level direction grad_y f"));
  }

  /**
   * Differentiable steps on a state of the base parameters only; since the upper-level weight
   * {@code mu_t} vanishes, the limits are stationary points of {@code f} (Liu et al. prove
   * convergence to lower-level solutions). The step is not plain gradient descent unless {@code
   * alpha = 0}, which is not worth a special case.
   */
  @Override
  public Set<String> capabilities(Options options) {
    return Set.of(
        Capabilities.DIFFERENTIABLE_STEPS,
        Capabilities.SINGLE_STATE,
        Capabilities.STATIONARY_LIMIT,
        Capabilities.STEPS_WITHOUT_META_PARAMETERS);
  }

  @Override
  public IterationModule create(Options options) {
    return new DescentAggregation(
        options.getDouble(ALPHA, v -> v >= 0 && v <= 1, "a number in [0, 1]"),
        options.getDouble(UPPER_RATE, v -> v > 0, "a positive number"),
        options.getDouble(LEARNING_RATE, v -> v > 0, "a positive number"));
  }
}
