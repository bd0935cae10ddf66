package org.boml.plugins.darts;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link FiniteDifferenceHypergradient} as hypergradient module {@code darts}. */
public final class DartsProvider implements HypergradientModuleProvider {
  /** The option that gives the dynamics' step size to the finite-difference formula. */
  public static final String LEARNING_RATE = "lr";

  /** The option that sets the finite-difference step, {@code eps = epsilon-scale / |grad_y F|}. */
  public static final String EPSILON_SCALE = "epsilon-scale";

  @Override
  public String name() {
    return "darts";
  }

  @Override
  public String description() {
    return "DARTS: the last lower-level step's second-order term by a finite difference of gradients";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            LEARNING_RATE,
            "0.01",
            "step size of the lower-level gradient step; must equal the dynamics' lr, and is set to it"
                + " when not given"),
        new OptionSpec(
            EPSILON_SCALE,
            "0.01",
            "finite-difference step eps = epsilon-scale / |grad_y F(x, y_T)|"));
  }

  /**
   * The formula is the derivative of one plain gradient step of step size {@code lr} ({@link
   * Capabilities#GRADIENT_STEP}), and it ignores {@code Psi_0}, so {@code x} must enter {@code f}
   * ({@link Capabilities#X_IN_LOWER_OBJECTIVE}); otherwise the result is {@code partial_x F}, zero
   * for meta-initialization.
   */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(Capabilities.GRADIENT_STEP, Capabilities.X_IN_LOWER_OBJECTIVE);
  }

  /** The formula differentiates the last step, so there must be one. */
  @Override
  public int minimumSteps(Options options) {
    return 1;
  }

  /** {@code lr} is the dynamics' step size: the runtime fills it in and refuses a different one. */
  @Override
  public Set<String> sharedDynamicsOptions() {
    return Set.of(LEARNING_RATE);
  }

  @Override
  public HypergradientModule create(Options options) {
    return new FiniteDifferenceHypergradient(
        options.getDouble(LEARNING_RATE, v -> v > 0, "a positive number"),
        options.getDouble(EPSILON_SCALE, v -> v > 0, "a positive number"));
  }
}
