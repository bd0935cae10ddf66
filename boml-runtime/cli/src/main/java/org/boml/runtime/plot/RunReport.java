package org.boml.runtime.plot;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.boml.runtime.run.MetricsLog;
import org.boml.runtime.run.RunDirectory;

/**
 * The learning curves of a run directory as PNG images, {@value #LOSS} (train and validation loss
 * against the iteration) and, for classification, {@value #ACCURACY}, and an HTML page {@value
 * #PAGE} that shows them with the run's result and configuration. Written from {@code
 * metrics.jsonl}, {@code result.json} and {@code config.json}, each file atomically.
 */
public final class RunReport {
  /** The loss curves' file. */
  public static final String LOSS = RunDirectory.LOSS_PLOT;

  /** The accuracy curves' file (classification only). */
  public static final String ACCURACY = RunDirectory.ACCURACY_PLOT;

  /** The HTML page's file. */
  public static final String PAGE = RunDirectory.PAGE;

  /** Every file a report writes. */
  public static final List<String> FILES = RunDirectory.REPORT_FILES;

  /** The charts' size in pixels. */
  public static final int WIDTH = 800;

  /** The charts' height in pixels. */
  public static final int HEIGHT = 480;

  private static final Color TRAIN = new Color(0x9ECAE1);
  private static final Color TRAIN_AVERAGE = new Color(0x08519C);
  private static final Color VALIDATION = new Color(0xE6550D);

  private RunReport() {}

  /**
   * Writes the charts and the page into a run directory.
   *
   * @param directory the directory of a {@code train --out} run
   * @return the files written
   * @throws IOException if a file cannot be read or written
   * @throws IllegalArgumentException if the directory does not exist or has no metrics
   */
  public static List<Path> write(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          "run directory '" + directory + "' does not exist or is not a directory");
    }
    if (!Files.isRegularFile(directory.resolve(MetricsLog.FILE))) {
      throw new IllegalArgumentException(
          "'"
              + directory
              + "' has no "
              + MetricsLog.FILE
              + ": give the directory of a run trained with train --out RUN_DIR");
    }
    List<Map<String, Double>> lines = MetricsLog.read(directory);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + directory.resolve(MetricsLog.FILE) + "' has no iterations yet: nothing to plot");
    }
    RunDirectory run = new RunDirectory(directory);
    List<Path> written = new ArrayList<>();
    run.writeFile(
        LOSS,
        chart(
            lines,
            "Meta-loss",
            "loss (" + lossName(directory) + ")",
            MetricsLog.TRAIN_LOSS,
            MetricsLog.VALIDATION_LOSS));
    written.add(directory.resolve(LOSS));
    boolean accuracy =
        lines.stream()
            .anyMatch(
                line ->
                    line.containsKey(MetricsLog.TRAIN_ACCURACY)
                        || line.containsKey(MetricsLog.VALIDATION_ACCURACY));
    if (accuracy) {
      run.writeFile(
          ACCURACY,
          chart(
              lines,
              "Accuracy after adaptation (query examples)",
              "accuracy",
              MetricsLog.TRAIN_ACCURACY,
              MetricsLog.VALIDATION_ACCURACY));
      written.add(directory.resolve(ACCURACY));
    } else {
      Files.deleteIfExists(directory.resolve(ACCURACY));
    }
    run.writeFile(PAGE, page(directory, lines.size(), accuracy).getBytes(StandardCharsets.UTF_8));
    written.add(directory.resolve(PAGE));
    return written;
  }

  private static byte[] chart(
      List<Map<String, Double>> lines,
      String title,
      String yLabel,
      String trainKey,
      String validationKey) {
    double[] iterations = column(lines, "iteration");
    double[] train = column(lines, trainKey);
    int window = Math.max(1, lines.size() / 50);
    LineChart chart = new LineChart(title, "meta-iteration", yLabel);
    chart.add(new LineChart.Series("train (meta-batch)", iterations, train, TRAIN, 1f, false));
    if (window > 1) {
      chart.add(
          new LineChart.Series(
              "train, mean of " + window + " iterations",
              iterations,
              trailingMean(train, window),
              TRAIN_AVERAGE,
              2f,
              false));
    }
    List<Map<String, Double>> validated =
        lines.stream().filter(line -> line.containsKey(validationKey)).toList();
    if (!validated.isEmpty()) {
      chart.add(
          new LineChart.Series(
              "validation tasks",
              column(validated, "iteration"),
              column(validated, validationKey),
              VALIDATION,
              2f,
              true));
    }
    return LineChart.png(chart.render(WIDTH, HEIGHT));
  }

  /** One key's values, NaN where a line lacks it. */
  private static double[] column(List<Map<String, Double>> lines, String key) {
    return lines.stream().mapToDouble(line -> line.getOrDefault(key, Double.NaN)).toArray();
  }

  /** The mean of each value and the {@code window - 1} before it (fewer at the start). */
  static double[] trailingMean(double[] values, int window) {
    double[] means = new double[values.length];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i];
      if (i >= window) {
        sum -= values[i - window];
      }
      means[i] = sum / Math.min(i + 1, window);
    }
    return means;
  }

  private static String lossName(Path directory) throws IOException {
    String metric = jsonField(directory.resolve(RunDirectory.RESULT), "metric");
    return "accuracy".equals(metric)
        ? "cross-entropy"
        : "mse".equals(metric) ? "mean squared error" : "upper-level objective";
  }

  private static String jsonField(Path file, String key) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      var object = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      return object.has(key) ? object.get(key).getAsString() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String page(Path directory, int iterations, boolean accuracy) throws IOException {
    String name = directory.toAbsolutePath().normalize().getFileName().toString();
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>BOML run ")
        .append(escape(name))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:840px;margin:2em auto}")
        .append("pre{background:#f4f4f4;padding:1em;overflow-x:auto}</style>\n</head>\n<body>\n")
        .append("<h1>BOML run ")
        .append(escape(name))
        .append("</h1>\n<p>")
        .append(iterations)
        .append(" meta-iterations logged in <a href=\"")
        .append(MetricsLog.FILE)
        .append("\">")
        .append(MetricsLog.FILE)
        .append("</a>.</p>\n<h2>Learning curves</h2>\n")
        .append(image(LOSS, "meta-loss against the iteration"));
    if (accuracy) {
      html.append(image(ACCURACY, "accuracy against the iteration"));
    }
    html.append("<h2>Result</h2>\n")
        .append(document(directory, RunDirectory.RESULT, "no result yet: training has not ended"))
        .append("<h2>Configuration</h2>\n")
        .append(document(directory, RunDirectory.CONFIG, "no configuration saved"))
        .append("</body>\n</html>\n");
    return html.toString();
  }

  private static String image(String file, String description) {
    return "<p><img src=\""
        + file
        + "\" width=\""
        + WIDTH
        + "\" height=\""
        + HEIGHT
        + "\" alt=\""
        + description
        + "\"></p>\n";
  }

  /** A JSON file of the run, pretty-printed, with a link to it; or a note when it is missing. */
  private static String document(Path directory, String file, String missing) throws IOException {
    Path path = directory.resolve(file);
    if (!Files.isRegularFile(path)) {
      return "<p>(" + missing + ")</p>\n";
    }
    String text = Files.readString(path);
    try {
      text =
          new GsonBuilder()
              .setPrettyPrinting()
              .serializeNulls()
              .disableHtmlEscaping()
              .create()
              .toJson(JsonParser.parseString(text));
    } catch (RuntimeException e) {
      // show the file as it is
    }
    return "<p><a href=\"" + file + "\">" + file + "</a></p>\n<pre>" + escape(text) + "</pre>\n";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
