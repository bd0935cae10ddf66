package org.boml.api;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A service provider of hypergradient computations; found by {@link java.util.ServiceLoader}. */
public interface HypergradientModuleProvider extends Plugin {
  @Override
  default PluginKind kind() {
    return PluginKind.HYPERGRADIENT;
  }

  /**
   * Creates the module for one training run.
   *
   * @param options the provider's options
   * @return the module
   */
  HypergradientModule create(Options options);

  /**
   * What the module relies on, from the words of {@link Capabilities} (or the dynamics' own):
   * mostly capabilities of the dynamics, and {@link Capabilities#OF_PROBLEM} ones of the problem.
   * The runtime refuses a combination that lacks any of them.
   *
   * @param options the options the module would be created with
   * @return the requirements; none by default
   */
  default Set<String> requirements(Options options) {
    return Set.of();
  }

  /**
   * The fewest lower-level steps {@code T} the module can work with; the runtime refuses fewer.
   *
   * @param options the options the module would be created with
   * @return the minimum {@code T}; 0 by default
   */
  default int minimumSteps(Options options) {
    return 0;
  }

  /**
   * Options of this module that describe the dynamics and must therefore have the same value as the
   * dynamics' option of the same name (e.g. a step size the module's formula uses). The runtime
   * sets each one that is not given to the dynamics' value (given or default), and refuses a given
   * value that differs, or dynamics without such an option.
   *
   * @return the option names; none by default
   */
  default Set<String> sharedDynamicsOptions() {
    return Set.of();
  }

  /**
   * Creates the module from key-value options, checked against {@link #options()}.
   *
   * @param options the options, e.g. {@code Map.of("strategy", "replay")}
   * @return the module
   */
  default HypergradientModule create(Map<String, String> options) {
    return create(Options.forProvider(options, this));
  }

  /**
   * Parameters this method adds to the meta-parameters {@code x} and its hook into the model's
   * forward pass ({@link ModelExtension}); e.g. Meta-SGD's step sizes or WarpGrad's warp layers.
   *
   * @param options the options the hypergradient module would be created with
   * @return the extension; none by default
   * @since 1.1.0
   */
  default Optional<ModelExtension> modelExtension(Options options) {
    return Optional.empty();
  }
}
