package org.boml.api;

import java.util.Map;

/**
 * A service provider of lower-level dynamics; found by {@link java.util.ServiceLoader}.
 */
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
   * Creates the dynamics from key-value options, checked against {@link #options()}.
   *
   * @param options the options, e.g. {@code Map.of("lr", "0.01")}
   * @return the module
   */
  default IterationModule create(Map<String, String> options) {
    return create(Options.forProvider(options, this));
  }
}
