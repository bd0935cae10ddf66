package org.boml.runtime.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.boml.api.DatasetProvider;
import org.boml.runtime.plugin.PluginRegistry;
import picocli.CommandLine.Option;

/**
 * The dataset options shared by {@code train} and {@code evaluate}: the common ones have flags of
 * their own and are passed to the dataset plugin under the same name (an error if the dataset does
 * not declare them); anything else goes through {@code --dataset-option}.
 */
final class DatasetChoice {
  @Option(
      names = "--dataset",
      description = "Dataset plugin (train: default sinusoid; evaluate: default the checkpoint's).")
  String dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the dataset's files are (dataset option data-dir).")
  String dataDir;

  @Option(
      names = "--download",
      description =
          "Download the dataset's official files into --data-dir first (dataset option download).")
  boolean download;

  @Option(names = "--ways", description = "Classes per task, N (dataset option ways).")
  Integer ways;

  @Option(
      names = "--shots",
      description =
          "Training examples per class, K; per task for regression (dataset option shots).")
  Integer shots;

  @Option(
      names = "--queries",
      description =
          "Validation examples per class; per task for regression (dataset option queries).")
  Integer queries;

  @Option(
      names = "--dataset-option",
      paramLabel = "KEY=VALUE",
      description = "Any other dataset option (repeatable), e.g. split=peer.")
  Map<String, String> extra = new LinkedHashMap<>();

  /**
   * The dataset options on top of earlier ones, checked against what the dataset declares.
   *
   * @param registry where the dataset plugin is
   * @param name the dataset's name
   * @param earlier options to start from (a checkpoint's), possibly empty
   * @return the options
   */
  Map<String, String> options(PluginRegistry registry, String name, Map<String, String> earlier) {
    Map<String, String> values = new LinkedHashMap<>(earlier);
    values.putAll(extra);
    putIfGiven(values, "data-dir", dataDir);
    putIfGiven(values, "download", download ? "true" : null);
    putIfGiven(values, "ways", ways);
    putIfGiven(values, "shots", shots);
    putIfGiven(values, "queries", queries);
    DatasetProvider provider = registry.dataset(name);
    org.boml.api.Options.forProvider(values, provider);
    return values;
  }

  private static void putIfGiven(Map<String, String> values, String key, Object value) {
    if (value != null) {
      values.put(key, value.toString());
    }
  }
}
