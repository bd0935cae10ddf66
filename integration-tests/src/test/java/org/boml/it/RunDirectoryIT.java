package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory is never lost or trusted blindly: {@code train --out} refuses a directory that
 * holds a run unless told {@code --overwrite}; {@code --resume} refuses a damaged configuration, a
 * missing checkpoint and a plan to go back, warns about changed plugin versions and keeps every
 * saved setting; a run whose evaluation has one episode (no confidence interval) still leaves its
 * result. One small sinusoid run is trained once; each test works on a copy.
 */
class RunDirectoryIT {
  @TempDir static Path shared;
  private static Path trained;
  private static CliResult training;

  @TempDir Path temp;

  @BeforeAll
  static void trainOnce() {
    trained = shared.resolve("trained");
    training =
        BomlCli.run(
            "train",
            "--iterations",
            "4",
            "--meta-batch",
            "2",
            "--eval-episodes",
            "1",
            "--checkpoint-every",
            "2",
            "--validate-every",
            "0",
            "--workers",
            "1",
            "--seed",
            "3",
            "--json",
            "--out",
            trained.toString());
  }

  private Path copy() throws IOException {
    Path copy = temp.resolve("run");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(trained)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return copy;
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @Test
  void aFinishedRunWithOneEvaluationEpisodeLeavesItsResult() throws IOException {
    assertEquals(0, training.exitCode(), training.toString());
    JsonObject printed = training.json();
    assertTrue(printed.getAsJsonObject("after").get("ci95").isJsonNull(), training.toString());
    JsonObject saved = json(trained.resolve("result.json"));
    assertEquals(1, saved.get("episodes").getAsInt());
    assertTrue(saved.getAsJsonObject("before").get("ci95").isJsonNull(), saved.toString());
    assertTrue(saved.getAsJsonObject("after").has("mean"), saved.toString());

    CliResult evaluated =
        BomlCli.run("evaluate", "--checkpoint", trained.toString(), "--episodes", "1", "--json");
    assertEquals(0, evaluated.exitCode(), evaluated.toString());
    assertTrue(evaluated.json().getAsJsonObject("after").get("ci95").isJsonNull());
  }

  @Test
  void aDirectoryThatHoldsARunIsReplacedOnlyWithOverwrite() throws IOException {
    Path run = copy();
    byte[] config = Files.readAllBytes(run.resolve("config.json"));
    String[] fresh = {
      "train",
      "--iterations",
      "2",
      "--meta-batch",
      "2",
      "--eval-episodes",
      "2",
      "--seed",
      "4",
      "--out",
      run.toString()
    };
    CliResult refused = BomlCli.run(fresh);
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(
        refused.stderr().contains(run + " already holds a run (config.json, checkpoint")
            && refused.stderr().contains("--resume " + run)
            && refused.stderr().contains("--overwrite"),
        refused.toString());
    assertArrayEquals(config, Files.readAllBytes(run.resolve("config.json")), "left as it was");

    CliResult noOut = BomlCli.run("train", "--overwrite", "--iterations", "1");
    assertEquals(1, noOut.exitCode(), noOut.toString());
    assertTrue(noOut.stderr().contains("--overwrite replaces the run in --out"), noOut.toString());

    String[] replacing = new String[fresh.length + 1];
    System.arraycopy(fresh, 0, replacing, 0, fresh.length);
    replacing[fresh.length] = "--overwrite";
    CliResult replaced = BomlCli.run(replacing);
    assertEquals(0, replaced.exitCode(), replaced.toString());
    JsonObject spec = json(run.resolve("config.json"));
    assertEquals(4, spec.get("seed").getAsInt(), "the new run's configuration");
    assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "only the new run");
    assertEquals(2, json(run.resolve("result.json")).get("episodes").getAsInt());
  }

  @Test
  void resumeRefusesAnIncompleteConfigurationAndLeavesIt() throws IOException {
    Path run = copy();
    Files.writeString(run.resolve("config.json"), "{}");
    CliResult refused = BomlCli.run("train", "--resume", run.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(
        refused.stderr().contains(run.resolve("config.json") + " is not a complete run")
            && refused.stderr().contains("lacks [dataset, datasetOptions"),
        refused.toString());
    assertEquals("{}", Files.readString(run.resolve("config.json")), "not rewritten");
  }

  @Test
  void resumeRefusesToGoBackAndLeavesTheConfiguration() throws IOException {
    Path run = copy();
    byte[] config = Files.readAllBytes(run.resolve("config.json"));
    CliResult refused = BomlCli.run("train", "--resume", run.toString(), "--iterations", "2");
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(
        refused.stderr().contains("--iterations 2 is fewer than the 4 iterations the checkpoint"),
        refused.toString());
    assertFalse(refused.stderr().contains("resuming"), refused.toString());
    assertArrayEquals(config, Files.readAllBytes(run.resolve("config.json")), "not rewritten");
  }

  @Test
  void resumeWithoutACheckpointIsRefusedInsteadOfStartingAgain() throws IOException {
    Path run = copy();
    Files.delete(run.resolve("checkpoint.safetensors"));
    byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
    CliResult refused = BomlCli.run("train", "--resume", run.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(
        refused.stderr().contains("nothing to resume: " + run.resolve("checkpoint.safetensors"))
            && refused.stderr().contains("--overwrite"),
        refused.toString());
    assertFalse(Files.exists(run.resolve("checkpoint.safetensors")), "nothing was trained");
    assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")));
  }

  @Test
  void resumeKeepsTheSavedSettingsAndWarnsAboutChangedPluginVersions() throws IOException {
    Path run = copy();
    Path config = run.resolve("config.json");
    String installed = json(config).getAsJsonObject("versions").get("rhg").getAsString();
    Files.writeString(
        config,
        Files.readString(config).replace("\"rhg\": \"" + installed + "\"", "\"rhg\": \"0.0.1\""));
    CliResult resumed = BomlCli.run("train", "--resume", run.toString(), "--iterations", "6");
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(
        resumed
            .stderr()
            .contains(
                "plugin 'rhg' was version 0.0.1 when the run was saved but"
                    + " version "
                    + installed
                    + " is installed"),
        resumed.toString());
    JsonObject spec = json(config);
    assertEquals(6, spec.get("iterations").getAsInt(), "the new plan is saved");
    assertEquals("0.0.1", spec.getAsJsonObject("versions").get("rhg").getAsString());
    assertEquals(1, spec.get("evalEpisodes").getAsInt());
    assertEquals(
        1,
        json(run.resolve("result.json")).get("episodes").getAsInt(),
        "the resumed run evaluates on the saved --eval-episodes");
  }
}
