package org.boml.api;

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
}
