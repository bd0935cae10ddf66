package org.boml.api;

import java.util.Map;

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
   * Creates the module from key-value options, checked against {@link #options()}.
   *
   * @param options the options, e.g. {@code Map.of("strategy", "replay")}
   * @return the module
   */
  default HypergradientModule create(Map<String, String> options) {
    return create(Options.forProvider(options, this));
  }
}
