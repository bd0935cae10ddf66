package org.boml.api;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A service provider of lower-level dynamics; found by {@link java.util.ServiceLoader}. */
public interface IterationModuleProvider extends Plugin {
  @Override
  default PluginKind kind() {
    return PluginKind.ITERATION;
  }

  /**
   * Creates the dynamics for one training run.
   *
   * @param options the provider's options (learning rate, ...)
   * @return the module
   */
  IterationModule create(Options options);

  /**
   * What the dynamics created with these options can do, from the words of {@link Capabilities} (or
   * the provider's own); the runtime refuses a hypergradient module that requires something not
   * listed here. Options matter: gradient descent whose step size is read from {@code x} is no
   * longer a {@link Capabilities#GRADIENT_STEP}.
   *
   * @param options the options the dynamics would be created with
   * @return the capabilities; by default {@link Capabilities#DIFFERENTIABLE_STEPS} alone, which the
   *     contract of {@link IterationModule#step} demands of every module
   */
  default Set<String> capabilities(Options options) {
    return Set.of(Capabilities.DIFFERENTIABLE_STEPS);
  }

  /**
   * Creates the dynamics from key-value options, checked against {@link #options()}.
   *
   * @param options the options, e.g. {@code Map.of("lr", "0.01")}
   * @return the module
   */
  default IterationModule create(Map<String, String> options) {
    return create(Options.forProvider(options, this));
  }

  /**
   * Parameters this method adds to the meta-parameters {@code x} and its hook into the model's
   * forward pass ({@link ModelExtension}); e.g. Meta-SGD's step sizes or WarpGrad's warp layers.
   *
   * @param options the options the dynamics would be created with
   * @return the extension; none by default
   * @since 1.1.0
   */
  default Optional<ModelExtension> modelExtension(Options options) {
    return Optional.empty();
  }

  /**
   * The extension for a run of {@code steps} lower-level steps; dynamics whose added parameters
   * depend on the horizon (e.g. one learned weight per step) override this. The runtime calls this
   * form whenever it knows {@code T}.
   *
   * @param options the options the dynamics would be created with
   * @param steps the number of lower-level steps {@code T >= 0}
   * @return the extension; by default {@link #modelExtension(Options)}
   * @since 1.2.0
   */
  default Optional<ModelExtension> modelExtension(Options options, int steps) {
    return modelExtension(options);
  }
}
