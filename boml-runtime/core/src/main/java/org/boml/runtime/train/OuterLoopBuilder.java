package org.boml.runtime.train;

import ai.djl.Device;
import java.util.Map;
import java.util.Objects;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginRegistry;

/**
 * What the builders of both outer loops ({@link MetaLearnerBuilder} and {@link
 * HyperparameterOptimizer.Builder}) configure alike: the method's parts ({@link Method.Builder}),
 * the number of inner steps, the outer optimizer with its learning rate, the device and the seed.
 * Every setter returns the builder's own type, as DJL's {@code BaseBuilder} does.
 *
 * @param <B> the builder's own type
 */
public abstract class OuterLoopBuilder<B extends OuterLoopBuilder<B>> {
  /** The method's parts. */
  final Method.Builder parts = Method.builder();

  /** The method given resolved, which replaces the parts; null if none. */
  Method method;

  /** The numeric settings. */
  TrainingConfig config;

  /** The outer optimizer. */
  OuterOptimizer optimizer;

  /** The device of the outer loop's parameters; null for the default. */
  Device device;

  OuterLoopBuilder(TrainingConfig defaults, OuterOptimizer optimizer) {
    this.config = defaults;
    this.optimizer = optimizer;
  }

  /**
   * This builder, as its own type.
   *
   * @return this
   */
  abstract B self();

  /**
   * The lower-level dynamics from a provider, created by {@code build()}. When the hypergradient is
   * given by its provider too, {@code build()} first checks that the two can work together ({@link
   * Compatibility}).
   *
   * @param provider the dynamics' provider
   * @param options its options
   * @return this builder
   */
  public B dynamics(IterationModuleProvider provider, Map<String, String> options) {
    parts.dynamics(provider, options);
    method = null;
    return self();
  }

  /**
   * The hypergradient computation from a provider, created by {@code build()}: with dynamics given
   * by their provider, {@code build()} refuses a combination the plugins declare impossible ({@link
   * Compatibility}: missing capabilities, too few inner steps for the method, a problem whose
   * meta-parameters the method cannot see, shared options that disagree) and sets the method's
   * shared options that are not given to the dynamics' values.
   *
   * @param provider the hypergradient's provider
   * @param options its options
   * @return this builder
   */
  public B hypergradient(HypergradientModuleProvider provider, Map<String, String> options) {
    parts.hypergradient(provider, options);
    method = null;
    return self();
  }

  /**
   * The dynamics and the hypergradient resolved already (by {@link Method.Builder}), instead of
   * their parts.
   *
   * @param resolved the method
   * @return this builder
   */
  public B method(Method resolved) {
    method = Objects.requireNonNull(resolved, "method");
    return self();
  }

  /**
   * Where the dynamics suggested by a refused combination come from; by default the providers on
   * the module path.
   *
   * @param registry the registry
   * @return this builder
   */
  public B plugins(PluginRegistry registry) {
    parts.plugins(registry);
    return self();
  }

  /**
   * The number of lower-level steps {@code T}.
   *
   * @param steps {@code T >= 0}
   * @return this builder
   */
  public B innerSteps(int steps) {
    config = config.with(draft -> draft.innerSteps = steps);
    return self();
  }

  /**
   * The outer optimizer and its learning rate.
   *
   * @param outer the optimizer
   * @param learningRate a positive step size
   * @return this builder
   */
  public B optimizer(OuterOptimizer outer, double learningRate) {
    optimizer = Objects.requireNonNull(outer, "optimizer");
    LearningRateSchedule schedule = config.learningRate();
    config =
        config.with(
            draft ->
                draft.learningRate =
                    new LearningRateSchedule(learningRate, schedule.factor(), schedule.every()));
    return self();
  }

  /**
   * The device of the meta-parameters (or hyperparameters), where hypergradients are reduced; by
   * default a GPU where the engine has one, else the CPU.
   *
   * @param where the device
   * @return this builder
   */
  public B device(Device where) {
    device = Objects.requireNonNull(where, "device");
    return self();
  }

  /**
   * The seed that fixes every random choice: the initial meta-parameters and every task of
   * meta-training, and the random initial values of parameters that dynamics add (e.g. Meta-SGD's
   * step sizes with {@code init=uniform}); 0 by default.
   *
   * @param seed the seed
   * @return this builder
   */
  public B seed(long seed) {
    config = config.with(draft -> draft.seed = seed);
    return self();
  }

  /**
   * The method: the one given resolved, else built from its parts for this builder's inner steps.
   *
   * @param owner what is being built, for the message about a missing part
   * @param problem what the problem supplies, or null when unknown
   * @return the method
   * @throws IllegalStateException if a part is missing
   */
  final Method resolveMethod(String owner, Compatibility.ProblemKind problem) {
    if (method != null) {
      return method;
    }
    parts
        .missing()
        .ifPresent(
            part -> {
              throw new IllegalStateException(
                  owner + " needs " + part + "; call builder()." + part + "(...)");
            });
    return parts.build(config.innerSteps(), problem);
  }
}
