package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.boml.runtime.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boml train --upper-passes} on the real Omniglot data with two task workers: one upper pass
 * at a time (the worker inside on two intra-op threads, the other waiting) learns the
 * meta-parameters that concurrent upper passes learn, in float64, where the wider threads can only
 * change the order of a sum; the schedule is saved with the run; any other schedule is refused
 * before the run directory exists.
 */
class UpperPassesIT {
  @Test
  void oneUpperPassAtATimeLearnsWhatConcurrentUpperPassesLearn(@TempDir Path dir)
      throws IOException {
    Map<String, double[]> concurrent = train(dir.resolve("concurrent"), "concurrent");
    Path one = dir.resolve("one-at-a-time");
    Map<String, double[]> oneAtATime = train(one, "one-at-a-time");
    assertEquals(concurrent.keySet(), oneAtATime.keySet());
    for (Map.Entry<String, double[]> entry : concurrent.entrySet()) {
      assertArrayEquals(entry.getValue(), oneAtATime.get(entry.getKey()), 1e-9, entry.getKey());
    }
    String saved = Files.readString(one.resolve(RunDirectory.CONFIG));
    assertEquals(
        "one-at-a-time",
        JsonParser.parseString(saved).getAsJsonObject().get("upperPasses").getAsString(),
        saved);
  }

  @Test
  void aScheduleThatIsNeitherIsRefusedBeforeTheRunStarts(@TempDir Path dir) {
    Path run = dir.resolve("run");
    CliResult result = BomlCli.run(OmniglotCli.train(run, "--upper-passes", "sometimes"));
    assertNotEquals(0, result.exitCode(), result.toString());
    assertTrue(
        result.stderr().contains("--upper-passes must be concurrent or one-at-a-time"),
        result.toString());
    assertFalse(Files.exists(run), "the refused run created " + run);
  }

  private static Map<String, double[]> train(Path run, String schedule) throws IOException {
    CliResult result =
        BomlCli.run(
            OmniglotCli.train(
                run,
                "--dtype",
                "float64",
                "--workers",
                "2",
                "--meta-batch",
                "4",
                "--iterations",
                "3",
                "--eval-episodes",
                "2",
                "--validate-every",
                "0",
                "--upper-passes",
                schedule));
    assertEquals(0, result.exitCode(), result.toString());
    return SavedTensors.read(run.resolve(RunDirectory.PARAMETERS));
  }
}
