package org.boml.api;

import java.util.Map;

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

  /**
   * Builds a model for a dataset, with key-value options checked against {@link #options()}.
   *
   * @param dataset supplies the input shape and the number of outputs
   * @param options the options, e.g. {@code Map.of("hidden", "40,40")}
   * @return the model
   */
  default Model create(Dataset dataset, Map<String, String> options) {
    return create(
        new ModelSpec(dataset.inputShape(), dataset.outputs(), Options.forProvider(options, this)));
  }
}
