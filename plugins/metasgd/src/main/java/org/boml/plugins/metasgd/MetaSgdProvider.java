package org.boml.plugins.metasgd;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/**
 * Provides {@link MetaSgd} as iteration module {@code metasgd}, with the step sizes it adds to the
 * meta-parameters ({@link StepSizes}). Its hypergradient is that of any method that differentiates
 * through the trajectory; {@code boml train --method metasgd} uses {@code rhg}.
 */
public final class MetaSgdProvider implements IterationModuleProvider {
  /** The option that sets the initial step size (named like gd's so that --inner-lr sets it). */
  public static final String LEARNING_RATE = "lr";

  /** The option that selects one shared scalar step size instead of one per parameter entry. */
  public static final String SCALAR = "scalar";

  /** The option that chooses how the step sizes start: {@code constant} or {@code uniform}. */
  public static final String INIT = "init";

  @Override
  public String name() {
    return "metasgd";
  }

  @Override
  public String description() {
    return "Meta-SGD: y <- y - alpha o grad_y f with per-parameter step sizes alpha meta-learned"
        + " with the initialization (Li et al. 2017)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(LEARNING_RATE, "0.01", "initial value of every step size alpha"),
        new OptionSpec(
            SCALAR,
            "false",
            "true: one scalar alpha shared by all parameters; false: one alpha per entry of every"
                + " adapted parameter, as in the paper"),
        new OptionSpec(
            INIT,
            "constant",
            "constant: every alpha starts at lr; uniform: every alpha is drawn from U[0.005, 0.1]"
                + " as in the paper, fixed by the run's seed (lr is then not used)"));
  }

  /**
   * Differentiable steps on the base parameters alone; the step size depends on {@code x}, so they
   * are not a {@link Capabilities#GRADIENT_STEP}.
   */
  @Override
  public Set<String> capabilities(Options options) {
    return Set.of(Capabilities.DIFFERENTIABLE_STEPS, Capabilities.SINGLE_STATE);
  }

  @Override
  public IterationModule create(Options options) {
    return new MetaSgd(stepSizes(options));
  }

  /** Adds the step sizes {@code alpha} to {@code x}: {@value StepSizes#GROUP}. */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    return Optional.of(stepSizes(options));
  }

  private static StepSizes stepSizes(Options options) {
    return new StepSizes(
        options.getDouble(LEARNING_RATE, Double::isFinite, "a finite number"),
        Boolean.parseBoolean(options.getChoice(SCALAR, Set.of("true", "false"))),
        options.getChoice(INIT, Set.of("constant", "uniform")).equals("uniform"));
  }
}
