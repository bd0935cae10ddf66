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

/** Provides {@link Adam} as iteration module {@code adam}. */
public final class AdamProvider implements IterationModuleProvider {
  /** The option that sets the step size. */
  public static final String LEARNING_RATE = "lr";

  /** The option that sets the first moment's decay. */
  public static final String BETA1 = "beta1";

  /** The option that sets the second moment's decay. */
  public static final String BETA2 = "beta2";

  /** The option that sets the denominator's constant. */
  public static final String EPSILON = "epsilon";

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public String description() {
    return "Adam on the lower-level objective, differentiable; the moments and the step count are part"
        + " of the state";
  }

  @Override
  public List<OptionSpec> options() {
    return StepSize.withOptions(
        new OptionSpec(LEARNING_RATE, "0.001", "step size lr of every lower-level step"),
        new OptionSpec(BETA1, "0.9", "decay of the first moment, in [0, 1)"),
        new OptionSpec(BETA2, "0.999", "decay of the second moment, in [0, 1)"),
        new OptionSpec(EPSILON, "1e-8", "added to the square root of the second moment, > 0"));
  }

  /**
   * Differentiable steps whose fixed points are stationary points of {@code f} (a fixed point has a
   * zero first moment, hence a zero gradient); the state carries the moments and the count.
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
    return new Adam(
        StepSize.of(options, LEARNING_RATE, name()),
        options.getDouble(BETA1, v -> v >= 0 && v < 1, "a number in [0, 1)"),
        options.getDouble(BETA2, v -> v >= 0 && v < 1, "a number in [0, 1)"),
        options.getDouble(EPSILON, v -> v > 0, "a positive number"));
  }

  /** Adds the learned {@code log lr} to {@code x} when option {@value StepSize#LEARN} is set. */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    return LearnedScalars.of(StepSize.added(options, LEARNING_RATE, name()));
  }
}
