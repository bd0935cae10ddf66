package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code train --out} reports about a run: metrics.jsonl with train and validation loss (and
 * accuracy for classification) at the right iterations and in range, the learning curves and the
 * page; and {@code plot RUN_DIR} on a run (its errors are checked in process by boml-cli's
 * PlotCommandTest).
 */
class RunReportIT {
  private static final Set<String> ALWAYS =
      Set.of("iteration", "trainLoss", "hypergradientNorm", "learningRate", "seconds");

  private static List<JsonObject> metrics(Path run) throws Exception {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();
  }

  /** Checks every line's keys and ranges; validation keys at multiples of {@code every} only. */
  private static void checkMetrics(Path run, int iterations, int every, boolean classification)
      throws Exception {
    List<JsonObject> lines = metrics(run);
    assertEquals(iterations, lines.size(), lines.toString());
    double seconds = 0;
    for (int i = 0; i < iterations; i++) {
      JsonObject line = lines.get(i);
      int iteration = i + 1;
      assertEquals(iteration, line.get("iteration").getAsInt());
      assertTrue(line.keySet().containsAll(ALWAYS), line.toString());
      assertTrue(line.get("trainLoss").getAsDouble() > 0, line.toString());
      assertTrue(line.get("hypergradientNorm").getAsDouble() > 0, line.toString());
      assertTrue(line.get("seconds").getAsDouble() >= seconds, "time goes forward: " + line);
      seconds = line.get("seconds").getAsDouble();
      boolean validated = iteration % every == 0;
      assertEquals(validated, line.has("validationLoss"), line.toString());
      assertEquals(classification, line.has("trainAccuracy"), line.toString());
      assertEquals(classification && validated, line.has("validationAccuracy"), line.toString());
      if (validated) {
        assertTrue(line.get("validationLoss").getAsDouble() > 0, line.toString());
      }
      for (String key : List.of("trainAccuracy", "validationAccuracy")) {
        if (line.has(key)) {
          double accuracy = line.get(key).getAsDouble();
          assertTrue(accuracy >= 0 && accuracy <= 1, line.toString());
        }
      }
    }
  }

  private static void checkImage(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(800, image.getWidth(), file.toString());
    assertEquals(480, image.getHeight(), file.toString());
  }

  @Test
  void omniglotRunLogsAccuracyAndPlotsItsCurves(@TempDir Path temp) throws Exception {
    Path run = temp.resolve("omniglot");
    CliResult trained =
        BomlCli.run(
            OmniglotCli.train(
                run,
                "--dataset-option",
                "split=boml",
                "--queries",
                "3",
                "--iterations",
                "4",
                "--validate-every",
                "2",
                "--validation-episodes",
                "3",
                "--eval-episodes",
                "4"));
    assertEquals(0, trained.exitCode(), trained.toString());
    checkMetrics(run, 4, 2, true);
    assertTrue(trained.stderr().contains("accuracy"), "the progress shows the accuracy");
    checkImage(run.resolve("loss.png"));
    checkImage(run.resolve("accuracy.png"));
    String page = Files.readString(run.resolve("index.html"));
    assertTrue(page.contains("src=\"accuracy.png\"") && page.contains("omniglot"), page);

    Files.delete(run.resolve("loss.png"));
    CliResult plotted = BomlCli.run("plot", run.toString());
    assertEquals(0, plotted.exitCode(), plotted.toString());
    assertTrue(plotted.stdout().contains(run.resolve("loss.png").toString()), plotted.toString());
    checkImage(run.resolve("loss.png"));
  }

  @Test
  void aSplitWithoutValidationTasksTurnsTheDefaultOffAndRefusesTheOption(@TempDir Path temp)
      throws Exception {
    String[] peer =
        OmniglotCli.train(
            temp.resolve("peer"), "--meta-batch", "1", "--iterations", "2", "--eval-episodes", "2");
    CliResult defaults = BomlCli.run(peer);
    assertEquals(0, defaults.exitCode(), defaults.toString());
    assertTrue(defaults.stderr().contains("no validation measurements"), defaults.toString());
    JsonObject config =
        JsonParser.parseString(Files.readString(temp.resolve("peer/config.json")))
            .getAsJsonObject();
    assertEquals(0, config.get("validateEvery").getAsInt());
    String[] explicit =
        OmniglotCli.train(
            temp.resolve("explicit"),
            "--meta-batch",
            "1",
            "--iterations",
            "2",
            "--eval-episodes",
            "2",
            "--validate-every",
            "1");
    CliResult refused = BomlCli.run(explicit);
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(
        refused.stderr().contains("--validate-every 1: cannot sample a VALIDATION task"),
        refused.toString());
  }

  @Test
  void sinusoidRunLogsLossesWithoutAccuracy(@TempDir Path temp) throws Exception {
    Path run = temp.resolve("sinusoid");
    CliResult trained =
        BomlCli.run(
            "train",
            "--iterations",
            "6",
            "--meta-batch",
            "3",
            "--validate-every",
            "3",
            "--validation-episodes",
            "4",
            "--eval-episodes",
            "5",
            "--json",
            "--out",
            run.toString());
    assertEquals(0, trained.exitCode(), trained.toString());
    checkMetrics(run, 6, 3, false);
    checkImage(run.resolve("loss.png"));
    assertFalse(Files.exists(run.resolve("accuracy.png")));
    JsonObject config =
        JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
    assertEquals(3, config.get("validateEvery").getAsInt());
    assertEquals(4, config.get("validationEpisodes").getAsInt());
  }
}
