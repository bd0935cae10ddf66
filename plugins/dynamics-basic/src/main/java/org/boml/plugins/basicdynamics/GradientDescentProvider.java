package org.boml.plugins.basicdynamics;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
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
    return StepSize.withOptions(
        new OptionSpec(LEARNING_RATE, "0.01", "step size of every lower-level step"));
  }

  /**
   * Plain gradient steps on the base parameters: every capability, except that a step size read
   * from {@code x} is not the constant of a {@link Capabilities#GRADIENT_STEP} and is a
   * meta-parameter the steps read ({@link Capabilities#STEPS_WITHOUT_META_PARAMETERS}).
   */
  @Override
  public Set<String> capabilities(Options options) {
    return StepSize.capabilities(
        options,
        Set.of(
            Capabilities.DIFFERENTIABLE_STEPS,
            Capabilities.SINGLE_STATE,
            Capabilities.STATIONARY_LIMIT),
        Set.of(Capabilities.GRADIENT_STEP));
  }

  @Override
  public IterationModule create(Options options) {
    return new GradientDescent(StepSize.of(options, LEARNING_RATE, name()));
  }

  /** Adds the learned {@code log lr} to {@code x} when option {@value StepSize#LEARN} is set. */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    return LearnedScalars.of(StepSize.added(options, LEARNING_RATE, name()));
  }
}
