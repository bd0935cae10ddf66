package org.boml.runtime.run;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boml.runtime.train.IterationReport;

/**
 * {@value #FILE} of a run directory: one JSON object per meta-iteration with {@code iteration},
 * {@code trainLoss} (the mean meta-loss over the meta-batch), {@code trainAccuracy} (classification
 * only: the adapted models' mean accuracy on the meta-batch's query examples), {@code
 * validationLoss} and {@code validationAccuracy} (only at iterations where validation tasks were
 * measured; the accuracy for classification only; {@code null} for a value that is not finite),
 * {@code hypergradientNorm}, {@code learningRate} and {@code seconds}. Appended as training goes;
 * on resume, lines after the checkpoint's iteration are dropped so the file describes one
 * uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {
  /** The file's name. */
  public static final String FILE = "metrics.jsonl";

  /** The key of the mean meta-loss over the meta-batch. */
  public static final String TRAIN_LOSS = "trainLoss";

  /** The key of the adapted models' mean accuracy on the meta-batch's query examples. */
  public static final String TRAIN_ACCURACY = "trainAccuracy";

  /** The key of the mean loss after adaptation on the validation tasks. */
  public static final String VALIDATION_LOSS = "validationLoss";

  /** The key of the mean accuracy after adaptation on the validation tasks. */
  public static final String VALIDATION_ACCURACY = "validationAccuracy";

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
          textLines(file).stream()
              .filter(line -> !line.isBlank() && iterationOf(line) <= keepThrough)
              .toList();
      run.writeFile(
          FILE,
          (kept.isEmpty() ? "" : String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
    } else {
      Files.createFile(file, RunDirectory.fileMode(run.path()));
    }
    return new MetricsLog(
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
        file);
  }

  /**
   * Reads the log of a run directory: one map per complete line, from key to number (blank lines
   * and a torn last line are skipped). Lines written before the keys were renamed have {@code
   * upperObjective}, read as {@value #TRAIN_LOSS}.
   *
   * @param directory the run directory
   * @return the lines in order
   * @throws IOException if the file cannot be read, is not UTF-8 text, or has a line before its
   *     last that is not a JSON object; the message names the file and the line
   */
  public static List<Map<String, Double>> read(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    List<String> texts = textLines(file);
    List<Map<String, Double>> lines = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        continue;
      }
      JsonObject object;
      try {
        object = JsonParser.parseString(texts.get(i)).getAsJsonObject();
      } catch (RuntimeException e) {
        if (i == texts.size() - 1) {
          continue; // torn by a crash
        }
        throw new IOException(damaged(file, i + 1, "is not a JSON object"), e);
      }
      Map<String, Double> line = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
        if (entry.getValue().isJsonPrimitive()
            && entry.getValue().getAsJsonPrimitive().isNumber()) {
          String key = entry.getKey().equals("upperObjective") ? TRAIN_LOSS : entry.getKey();
          line.put(key, entry.getValue().getAsDouble());
        }
      }
      lines.add(line);
    }
    return lines;
  }

  /**
   * The lines of a file of UTF-8 text, decoded strictly: bytes that are not UTF-8 are an error
   * naming the file and the line (Java's own reader says only "Input length = 1").
   */
  private static List<String> textLines(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      try {
        lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
      } catch (CharacterCodingException e) {
        throw new IOException(damaged(file, lines.size() + 1, "is not UTF-8 text"), e);
      }
      start = end + 1;
    }
    return lines;
  }

  private static String damaged(Path file, int line, String what) {
    return file
        + " line "
        + line
        + " "
        + what
        + ": the file is damaged (BOML writes one JSON object per line). Restore it from a copy"
        + " or delete the damaged lines";
  }

  /** Puts a measured value ({@link JsonOutput} writes one that is not finite as null). */
  private static void putIfMeasured(Map<String, Object> line, String key, double value) {
    if (!Double.isNaN(value)) { // NaN: not measured
      line.put(key, value);
    }
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
    line.put(TRAIN_LOSS, report.upperObjective());
    putIfMeasured(line, TRAIN_ACCURACY, report.accuracy());
    if (report.validation() != null) {
      line.put(VALIDATION_LOSS, report.validation().loss());
      putIfMeasured(line, VALIDATION_ACCURACY, report.validation().accuracy());
    }
    line.put("hypergradientNorm", report.hypergradientNorm());
    line.put("learningRate", report.learningRate());
    line.put("seconds", report.seconds());
    try {
      writer.write(JsonOutput.compact(line));
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
