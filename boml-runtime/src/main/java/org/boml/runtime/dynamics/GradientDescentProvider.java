package org.boml.runtime.dynamics;

import java.util.List;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link GradientDescent} as iteration module {@code gd}. */
public final class GradientDescentProvider implements IterationModuleProvider {
  /** The option that sets the step size. */
  public static final String LEARNING_RATE = "lr";

  @Override
  public String name() {
    return "gd";
  }

  @Override
  public String description() {
    return "gradient descent on the lower-level objective, y <- y - lr * grad_y f(x, y)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(new OptionSpec(LEARNING_RATE, "0.01", "step size of every lower-level step"));
  }

  @Override
  public IterationModule create(Options options) {
    return new GradientDescent(options.getDouble(LEARNING_RATE, v -> v > 0, "a positive number"));
  }
}
