package org.boml.runtime.dynamics;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link HeavyBall} as iteration module {@code momentum}. */
public final class HeavyBallProvider implements IterationModuleProvider {
  /** The option that sets the step size. */
  public static final String LEARNING_RATE = "lr";

  /** The option that sets the velocity's decay. */
  public static final String MOMENTUM = "momentum";

  @Override
  public String name() {
    return "momentum";
  }

  @Override
  public String description() {
    return "heavy-ball gradient descent, v <- mu v + grad_y f(x, y), y <- y - lr v;"
        + " the velocity is part of the state";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(LEARNING_RATE, "0.01", "step size of every lower-level step"),
        new OptionSpec(MOMENTUM, "0.9", "decay mu of the velocity, in [0, 1)"),
        StepSize.option());
  }

  /**
   * Differentiable steps whose fixed points are stationary points of {@code f} (a fixed point has
   * zero velocity, hence zero gradient); the state carries velocities, and the step is not plain
   * gradient descent.
   */
  @Override
  public Set<String> capabilities(Options options) {
    return StepSize.capabilities(
        options,
        Set.of(Capabilities.DIFFERENTIABLE_STEPS, Capabilities.STATIONARY_LIMIT),
        Set.of());
  }

  @Override
  public IterationModule create(Options options) {
    return new HeavyBall(
        StepSize.of(options, LEARNING_RATE),
        options.getDouble(MOMENTUM, v -> v >= 0 && v < 1, "a number in [0, 1)"));
  }
}
