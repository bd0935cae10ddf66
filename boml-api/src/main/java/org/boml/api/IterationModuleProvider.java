package org.boml.api;

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
}
