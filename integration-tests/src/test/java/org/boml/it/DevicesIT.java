package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code --devices} through the command line on this CPU-only build: a GPU request fails at once
 * with the way to a CUDA libtorch, and CPU workers train.
 */
class DevicesIT {
  @Test
  void aGpuOnTheCpuBuildIsRefusedWithTheWayToCuda() {
    CliResult result = BomlCli.run("train", "--devices", "gpu0", "--iterations", "1");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(
        result.stderr().contains("PYTORCH_LIBRARY_PATH")
            && result.stderr().contains("PYTORCH_FLAVOR=cu128"),
        result.toString());
  }

  @Test
  void cpuWorkersTrain() {
    CliResult result =
        BomlCli.run(
            "train",
            "--devices",
            "cpu",
            "--workers",
            "2",
            "--iterations",
            "3",
            "--meta-batch",
            "4",
            "--eval-episodes",
            "4",
            "--json");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("\"after\""), result.toString());
  }
}
