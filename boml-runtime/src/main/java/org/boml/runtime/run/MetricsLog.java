package org.boml.runtime.run;

import com.google.gson.Gson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boml.runtime.train.IterationReport;

/**
 * {@value #FILE} of a run directory: one JSON object per meta-iteration with {@code iteration},
 * {@code upperObjective} (mean meta-loss), {@code hypergradientNorm}, {@code learningRate} and
 * {@code seconds}. Appended as training goes; on resume, lines after the checkpoint's iteration are
 * dropped so the file describes one uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {
  /** The file's name. */
  public static final String FILE = "metrics.jsonl";

  private static final Gson GSON = new Gson();

  private final BufferedWriter writer;
  private final Path file;

  private MetricsLog(BufferedWriter writer, Path file) {
    this.writer = writer;
    this.file = file;
  }

  /**
   * Opens the log for appending, first dropping the lines after an iteration.
   *
   * @param run the run directory
   * @param keepThrough the last iteration to keep (0 for a fresh run)
   * @return the log
   * @throws IOException if the file cannot be read or written
   */
  public static MetricsLog open(RunDirectory run, int keepThrough) throws IOException {
    Path file = run.path().resolve(FILE);
    Files.createDirectories(run.path());
    if (Files.exists(file)) {
      List<String> kept =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .filter(line -> !line.isBlank() && iterationOf(line) <= keepThrough)
              .toList();
      run.writeFile(
          FILE,
          (kept.isEmpty() ? "" : String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new MetricsLog(
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
        file);
  }

  private static int iterationOf(String line) {
    try {
      return GSON.fromJson(line, IterationLine.class).iteration;
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE; // a torn last line from a crash: drop it
    }
  }

  /** The shape of one line, for reading the iteration back. */
  private static final class IterationLine {
    int iteration;
  }

  /**
   * Appends one iteration.
   *
   * @param report what the iteration measured
   */
  public void append(IterationReport report) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("iteration", report.iteration());
    line.put("upperObjective", report.upperObjective());
    line.put("hypergradientNorm", report.hypergradientNorm());
    line.put("learningRate", report.learningRate());
    line.put("seconds", report.seconds());
    try {
      writer.write(GSON.toJson(line));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes buffered lines to the file.
   *
   * @throws IOException if writing fails, naming the file
   */
  public void flush() throws IOException {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new IOException(
          "cannot write "
              + file
              + " ("
              + e.getMessage()
              + "): check that its directory is writable and its disk has free space",
          e);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
