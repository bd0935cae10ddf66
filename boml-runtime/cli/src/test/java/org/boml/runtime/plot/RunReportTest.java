package org.boml.runtime.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.boml.runtime.run.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learning-curve images and the HTML page of a run directory. */
class RunReportTest {
  private static final Color VALIDATION = new Color(0xE6550D);

  /** A metrics log of a classification run with validation every 10 iterations. */
  private static void writeMetrics(Path run, int iterations, boolean classification)
      throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= iterations; i++) {
      double loss = 1.6 * Math.exp(-i / 30.0) + 0.1 * Math.sin(i);
      text.append(String.format(Locale.ROOT, "{\"iteration\":%d,\"trainLoss\":%.6f", i, loss));
      if (classification) {
        text.append(String.format(Locale.ROOT, ",\"trainAccuracy\":%.4f", 1 - loss / 2));
      }
      if (i % 10 == 0) {
        text.append(String.format(Locale.ROOT, ",\"validationLoss\":%.6f", loss + 0.2));
        if (classification) {
          text.append(String.format(Locale.ROOT, ",\"validationAccuracy\":%.4f", 0.9 - loss / 2));
        }
      }
      text.append(String.format(Locale.ROOT, ",\"hypergradientNorm\":1.5,\"seconds\":%d}\n", i));
    }
    Files.writeString(run.resolve(MetricsLog.FILE), text.toString());
  }

  private static int pixelsOf(BufferedImage image, Color color) {
    int count = 0;
    for (int y = LineChart.TOP; y < image.getHeight() - LineChart.BOTTOM; y++) {
      for (int x = LineChart.LEFT; x < image.getWidth() - LineChart.RIGHT; x++) {
        if (image.getRGB(x, y) == color.getRGB()) {
          count++;
        }
      }
    }
    return count;
  }

  private static int nonWhite(BufferedImage image, int x0, int y0, int x1, int y1) {
    int count = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        count += (image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? 0 : 1;
      }
    }
    return count;
  }

  /** ImageIO's file cache is not used: a missing {@code java.io.tmpdir} cannot lose the plots. */
  @Test
  void plotsNeedNoTemporaryDirectory(@TempDir Path run) throws IOException {
    writeMetrics(run, 10, false);
    Path cache = Files.createDirectory(run.resolve("cache"));
    ImageIO.setCacheDirectory(cache.toFile());
    try {
      Files.delete(cache);
      RunReport.write(run);
    } finally {
      ImageIO.setCacheDirectory(null);
    }
    assertEquals(RunReport.WIDTH, ImageIO.read(run.resolve("loss.png").toFile()).getWidth());
  }

  @Test
  void writesDecodablePngsAndAPageThatReferencesThem(@TempDir Path run) throws IOException {
    writeMetrics(run, 120, true);
    Files.writeString(run.resolve("result.json"), "{\"metric\":\"accuracy\",\"episodes\":5}");
    Files.writeString(run.resolve("config.json"), "{\"dataset\":\"omniglot\",\"note\":\"a<b\"}");
    List<Path> written = RunReport.write(run);
    assertEquals(
        List.of(run.resolve("loss.png"), run.resolve("accuracy.png"), run.resolve("index.html")),
        written);
    for (String name : List.of("loss.png", "accuracy.png")) {
      BufferedImage image = ImageIO.read(run.resolve(name).toFile());
      assertEquals(RunReport.WIDTH, image.getWidth(), name);
      assertEquals(RunReport.HEIGHT, image.getHeight(), name);
      int plotArea =
          nonWhite(
              image,
              LineChart.LEFT + 1,
              LineChart.TOP + 1,
              image.getWidth() - LineChart.RIGHT,
              image.getHeight() - LineChart.BOTTOM);
      assertTrue(plotArea > 2000, name + ": only " + plotArea + " drawn pixels in the plot area");
      assertTrue(pixelsOf(image, VALIDATION) > 50, name + ": the validation curve is missing");
      assertTrue(
          nonWhite(image, 0, 0, LineChart.LEFT - 2, image.getHeight()) > 100,
          name + ": no tick labels or axis label left of the plot");
    }
    String page = Files.readString(run.resolve("index.html"));
    Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
    List<String> targets = new ArrayList<>();
    while (references.find()) {
      targets.add(references.group(1));
      assertTrue(Files.isRegularFile(run.resolve(references.group(1))), references.group(1));
    }
    assertTrue(
        targets.containsAll(List.of("loss.png", "accuracy.png", "result.json", "config.json")),
        targets.toString());
    assertTrue(page.contains("&quot;omniglot&quot;") && page.contains("a&lt;b"), page);
    assertTrue(page.contains("120 meta-iterations"), page);
  }

  @Test
  void regressionHasOnlyTheLossChartAndAPageWithoutResultYet(@TempDir Path run) throws IOException {
    writeMetrics(run, 15, false);
    Files.writeString(run.resolve("accuracy.png"), "stale");
    assertEquals(List.of(run.resolve("loss.png"), run.resolve("index.html")), RunReport.write(run));
    assertFalse(Files.exists(run.resolve("accuracy.png")), "a stale accuracy chart is removed");
    String page = Files.readString(run.resolve("index.html"));
    assertFalse(page.contains("accuracy.png"), page);
    assertTrue(page.contains("no result yet"), page);
    BufferedImage image = ImageIO.read(run.resolve("loss.png").toFile());
    assertTrue(pixelsOf(image, VALIDATION) > 10, "one validation point at iteration 10");
  }

  @Test
  void aMissingOrEmptyRunDirectoryIsAClearError(@TempDir Path temp) throws IOException {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> RunReport.write(temp.resolve("nope")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> RunReport.write(temp));
    assertTrue(
        empty.getMessage().contains("no metrics.jsonl")
            && empty.getMessage().contains("train --out"),
        empty.getMessage());
    Files.writeString(temp.resolve(MetricsLog.FILE), "{\"iteration\":1,\"trainLo");
    IllegalArgumentException torn =
        assertThrows(IllegalArgumentException.class, () -> RunReport.write(temp));
    assertTrue(torn.getMessage().contains("no iterations yet"), torn.getMessage());
  }

  @Test
  void ticksAreNiceAndCoverTheRange() {
    assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(0.03, 0.97, 5));
    assertEquals(List.of("0", "20", "40", "60", "80", "100", "120"), labels(1, 120, 6));
    assertEquals(List.of("1.5", "2.0", "2.5", "3.0", "3.5", "4.0"), labels(1.6, 3.9, 5));
    double[] flat = Ticks.covering(2, 2, 4);
    assertTrue(flat[0] < 2 && flat[flat.length - 1] > 2, "a constant series gets a range");
  }

  private static List<String> labels(double low, double high, int target) {
    return Ticks.labels(Ticks.covering(low, high, target));
  }

  @Test
  void theTrailingMeanAveragesTheLastWindow() {
    double[] means = RunReport.trailingMean(new double[] {1, 3, 5, 7}, 2);
    assertEquals(List.of(1.0, 2.0, 4.0, 6.0), List.of(means[0], means[1], means[2], means[3]));
  }
}
