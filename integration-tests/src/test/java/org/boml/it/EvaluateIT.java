package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boml train --out} then {@code boml evaluate --checkpoint}: the saved run reproduces the
 * final evaluation, evaluates on a folder of the user's own episodes with other class counts, and
 * damaged or foreign checkpoints are refused with the file named.
 */
class EvaluateIT {
  @Test
  void aSavedRunEvaluatesAgainAndOnOwnEpisodes(@TempDir Path temp) throws Exception {
    Path run = temp.resolve("run");
    CliResult trained = BomlCli.run(OmniglotCli.train(run));
    assertEquals(0, trained.exitCode(), trained.toString());
    for (String file : new String[] {"config.json", "meta-parameters.safetensors", "result.json"}) {
      assertTrue(Files.isRegularFile(run.resolve(file)), file + " is missing" + trained);
    }
    CliResult again =
        BomlCli.run("evaluate", "--checkpoint", run.toString(), "--episodes", "30", "--json");
    assertEquals(0, again.exitCode(), again.toString());
    assertEquals(
        trained.json().getAsJsonObject("after").get("mean").getAsDouble(),
        again.json().getAsJsonObject("after").get("mean").getAsDouble(),
        0,
        "same tasks, same result" + again);

    Path episodes = temp.resolve("episodes");
    writeTask(episodes.resolve("a-three-way"), 3, new Random(1));
    writeTask(episodes.resolve("b-seven-way"), 7, new Random(2));
    CliResult own =
        BomlCli.run(
            "evaluate",
            "--checkpoint",
            run.toString(),
            "--tasks-dir",
            episodes.toString(),
            "--json");
    assertEquals(0, own.exitCode(), own.toString());
    JsonObject json = own.json();
    assertEquals(2, json.get("episodes").getAsInt(), "each of the 2 tasks once" + own);
    double accuracy = json.getAsJsonObject("after").get("mean").getAsDouble();
    assertTrue(accuracy >= 0 && accuracy <= 1, own.toString());
  }

  @Test
  void foreignAndDamagedCheckpointsAreRefused(@TempDir Path temp) throws Exception {
    Path run = temp.resolve("run");
    assertEquals(0, BomlCli.run(OmniglotCli.train(run)).exitCode());
    Path config = run.resolve("config.json");
    String original = Files.readString(config);
    Files.writeString(config, original.replace("\"filters\": \"16\"", "\"filters\": \"8\""));
    CliResult foreign = BomlCli.run("evaluate", "--checkpoint", run.toString(), "--episodes", "5");
    assertEquals(1, foreign.exitCode(), foreign.toString());
    assertTrue(foreign.stderr().contains("another model shape"), foreign.toString());

    Files.writeString(config, original);
    Path parameters = run.resolve("meta-parameters.safetensors");
    byte[] bytes = Files.readAllBytes(parameters);
    Files.write(parameters, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    CliResult truncated =
        BomlCli.run("evaluate", "--checkpoint", run.toString(), "--episodes", "5");
    assertEquals(1, truncated.exitCode(), truncated.toString());
    assertTrue(truncated.stderr().contains("meta-parameters.safetensors"), truncated.toString());

    CliResult missing = BomlCli.run("evaluate", "--checkpoint", temp.resolve("nothing").toString());
    assertEquals(1, missing.exitCode(), missing.toString());
    assertTrue(missing.stderr().contains("not a run directory"), missing.toString());
  }

  /** A task folder with dark strokes on white, as a user would draw them, in odd sizes. */
  private static void writeTask(Path task, int classes, Random random) throws Exception {
    for (String part : new String[] {"support", "query"}) {
      for (int c = 0; c < classes; c++) {
        Path folder = task.resolve(part).resolve("class" + c);
        Files.createDirectories(folder);
        for (int i = 0; i < (part.equals("support") ? 1 : 3); i++) {
          BufferedImage image = new BufferedImage(40 + c, 36, BufferedImage.TYPE_BYTE_GRAY);
          for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
              boolean stroke = Math.abs(x - (5 + 4 * c)) < 2 || random.nextDouble() < 0.02;
              image.getRaster().setSample(x, y, 0, stroke ? 0 : 255);
            }
          }
          ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
        }
      }
    }
  }
}
