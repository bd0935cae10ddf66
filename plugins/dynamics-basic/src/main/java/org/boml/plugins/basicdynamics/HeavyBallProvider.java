package org.boml.plugins.basicdynamics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link HeavyBall} as iteration module {@code momentum}. */
public final class HeavyBallProvider implements IterationModuleProvider {
  /** The option that sets the step size. */
  public static final String LEARNING_RATE = "lr";

  /** The option that sets the velocity's decay. */
  public static final String MOMENTUM = "momentum";

  /** The option that learns the velocity's decay. */
  public static final String LEARN_MOMENTUM = "learn-momentum";

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
    return StepSize.withOptions(
        new OptionSpec(LEARNING_RATE, "0.01", "step size of every lower-level step"),
        new OptionSpec(
            MOMENTUM,
            "0.9",
            "decay mu of the velocity, in [0, 1) (in (0, 1) with learn-momentum=true, where it is"
                + " the initial value)"),
        new OptionSpec(
            LEARN_MOMENTUM,
            "false",
            "true: learn mu with the meta-parameters, as mu = sigmoid(x["
                + HeavyBall.LOGIT_MOMENTUM
                + "]), a meta-parameter added to x and initialized to log(mu / (1 - mu))"));
  }

  /**
   * Differentiable steps whose fixed points are stationary points of {@code f} (a fixed point has
   * zero velocity, hence zero gradient); the state carries velocities, and the step is not plain
   * gradient descent. A learned step size or coefficient is a meta-parameter the steps read.
   */
  @Override
  public Set<String> capabilities(Options options) {
    Set<String> capabilities =
        StepSize.capabilities(
            options,
            Set.of(Capabilities.DIFFERENTIABLE_STEPS, Capabilities.STATIONARY_LIMIT),
            Set.of());
    if (!learnsMomentum(options)) {
      return capabilities;
    }
    Set<String> withoutConstants = new HashSet<>(capabilities);
    withoutConstants.remove(Capabilities.STEPS_WITHOUT_META_PARAMETERS);
    return Set.copyOf(withoutConstants);
  }

  @Override
  public IterationModule create(Options options) {
    StepSize stepSize = StepSize.of(options, LEARNING_RATE, name());
    return learnsMomentum(options)
        ? new HeavyBall(stepSize, HeavyBall.LOGIT_MOMENTUM)
        : new HeavyBall(stepSize, momentum(options, false));
  }

  /**
   * Adds the learned {@code log lr} ({@value StepSize#LEARN}) and the logit of {@code mu} ({@value
   * #LEARN_MOMENTUM}) to {@code x}, as far as the options ask for them.
   */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    Map<String, Double> added = new LinkedHashMap<>(StepSize.added(options, LEARNING_RATE, name()));
    if (learnsMomentum(options)) {
      double mu = momentum(options, true);
      added.put(HeavyBall.LOGIT_MOMENTUM, Math.log(mu / (1 - mu)));
    }
    return LearnedScalars.of(added);
  }

  private static boolean learnsMomentum(Options options) {
    return Boolean.parseBoolean(options.getChoice(LEARN_MOMENTUM, Set.of("true", "false")));
  }

  private static double momentum(Options options, boolean learned) {
    return learned
        ? options.getDouble(
            MOMENTUM, v -> v > 0 && v < 1, "a number in (0, 1) to start a learned momentum from")
        : options.getDouble(MOMENTUM, v -> v >= 0 && v < 1, "a number in [0, 1)");
  }
}
