package org.boml.api;

import java.util.Map;

/** A service provider that opens {@link Dataset}s; found by {@link java.util.ServiceLoader}. */
public interface DatasetProvider extends Plugin {
  @Override
  default PluginKind kind() {
    return PluginKind.DATASET;
  }

  /**
   * The model the dataset is usually paired with, used when the user names none.
   *
   * @return a {@link ModelProvider} name
   */
  String defaultModel();

  /**
   * Opens the dataset.
   *
   * @param options the provider's options (shots, ways, data directory, ...)
   * @return the dataset
   * @throws DatasetException if the data is missing, corrupt or does not fit the options
   */
  Dataset open(Options options) throws DatasetException;

  /**
   * Opens the dataset with key-value options, checked against {@link #options()}.
   *
   * @param options the options, e.g. {@code Map.of("shots", "10")}
   * @return the dataset
   * @throws DatasetException if the data is missing, corrupt or does not fit the options
   */
  default Dataset open(Map<String, String> options) throws DatasetException {
    return open(Options.forProvider(options, this));
  }
}
