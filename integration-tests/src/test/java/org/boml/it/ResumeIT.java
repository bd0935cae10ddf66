package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and resume: a run stopped after 8 iterations and resumed to 12 ends with
 * meta-parameters identical (bit for bit) to those of an uninterrupted 12-iteration run, and its
 * metrics log describes one run, validation measurements included.
 */
class ResumeIT {
  private static CliResult train(Path run, String iterations) {
    return BomlCli.run(
        "train",
        "--iterations",
        iterations,
        "--meta-batch",
        "5",
        "--eval-episodes",
        "10",
        "--checkpoint-every",
        "3",
        "--validate-every",
        "4",
        "--validation-episodes",
        "3",
        "--workers",
        "2",
        "--json",
        "--out",
        run.toString());
  }

  @Test
  void resumedRunEqualsUninterruptedRun(@TempDir Path temp) throws Exception {
    CliResult whole = train(temp.resolve("whole"), "12");
    assertEquals(0, whole.exitCode(), whole.toString());
    CliResult first = train(temp.resolve("resumed"), "8");
    assertEquals(0, first.exitCode(), first.toString());
    CliResult rest =
        BomlCli.run(
            "train",
            "--resume",
            temp.resolve("resumed").toString(),
            "--iterations",
            "12",
            "--eval-episodes",
            "10",
            "--json");
    assertEquals(0, rest.exitCode(), rest.toString());
    assertTrue(rest.stderr().contains("after iteration 8"), rest.toString());
    byte[] expected = Files.readAllBytes(temp.resolve("whole/meta-parameters.safetensors"));
    byte[] actual = Files.readAllBytes(temp.resolve("resumed/meta-parameters.safetensors"));
    assertArrayEquals(expected, actual, "final meta-parameters differ after resume");
    List<String> metrics = Files.readAllLines(temp.resolve("resumed/metrics.jsonl"));
    assertEquals(12, metrics.size(), String.join("\n", metrics));
    assertTrue(metrics.get(11).startsWith("{\"iteration\":12,"), metrics.get(11));
    assertEquals(
        Files.readAllLines(temp.resolve("whole/metrics.jsonl"))
            .get(11)
            .split(",\"seconds\"", -1)[0],
        metrics.get(11).split(",\"seconds\"", -1)[0],
        "same losses, validation measurement and norms at iteration 12");
    assertTrue(metrics.get(11).contains("\"validationLoss\""), metrics.get(11));
  }

  @Test
  void resumeRefusesContradictingFlags(@TempDir Path temp) {
    assertEquals(0, train(temp.resolve("run"), "3").exitCode());
    CliResult contradiction =
        BomlCli.run("train", "--resume", temp.resolve("run").toString(), "--meta-lr", "0.5");
    assertEquals(1, contradiction.exitCode(), contradiction.toString());
    assertTrue(contradiction.stderr().contains("--meta-lr"), contradiction.toString());
  }
}
