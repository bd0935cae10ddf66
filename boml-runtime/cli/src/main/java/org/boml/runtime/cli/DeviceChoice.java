package org.boml.runtime.cli;

import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.run.Devices;
import picocli.CommandLine.Option;

/** The {@code --devices} option shared by {@code train} and {@code evaluate}. */
final class DeviceChoice {
  @Option(
      names = "--devices",
      paramLabel = "LIST",
      description =
          "Devices computing the tasks of a meta-batch: auto (every GPU the engine sees, else the"
              + " CPU), cpu, gpu (every GPU) or GPUs by index, e.g. gpu0,gpu1. The workers are"
              + " shared between them; task i runs on device i mod D and the hypergradients are"
              + " summed in task order on the first (default: "
              + Devices.AUTO
              + "; resume: the run's).")
  String devices;

  /**
   * Refuses a bad list before anything slow (opening a dataset) happens; starts the engine, so it
   * must come after {@link Threads#shareCoresBetween(int)}.
   */
  static void check(String list) {
    ComputeEngine engine = ComputeEngines.get();
    Devices.select(list, engine.gpuCount(), engine.gpuHelp());
  }

  /** The list given, or {@code fallback} when none was. */
  String orElse(String fallback) {
    return devices != null ? devices : fallback;
  }
}
