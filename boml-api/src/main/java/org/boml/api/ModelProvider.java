package org.boml.api;

/** A service provider that builds {@link Model}s; found by {@link java.util.ServiceLoader}. */
public interface ModelProvider extends Plugin {
  @Override
  default PluginKind kind() {
    return PluginKind.MODEL;
  }

  /**
   * Builds a model.
   *
   * @param spec input shape, outputs and options
   * @return the model
   */
  Model create(ModelSpec spec);
}
