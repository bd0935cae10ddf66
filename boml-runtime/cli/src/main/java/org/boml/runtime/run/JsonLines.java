package org.boml.runtime.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of JSON lines that a command appends to as it goes, such as the {@code metrics.jsonl} of
 * an application's run directory: each record is one line formatted by {@link
 * JsonOutput#compact(Object)}, written through to the file at once so that a crash keeps every line
 * before it.
 */
public final class JsonLines implements AutoCloseable {
  private final BufferedWriter writer;
  private final Path file;

  private JsonLines(BufferedWriter writer, Path file) {
    this.writer = writer;
    this.file = file;
  }

  /**
   * Opens a file for appending, creating it if there is none.
   *
   * @param file the file
   * @return the open file
   * @throws IOException if it cannot be opened
   */
  public static JsonLines append(Path file) throws IOException {
    return new JsonLines(
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
        file);
  }

  /**
   * Appends one record as a line and flushes it to the file.
   *
   * @param record maps, lists, strings, numbers, plain-data objects or JSON trees
   * @throws UncheckedIOException if it cannot be written, naming the file
   */
  public void write(Object record) {
    try {
      writer.write(JsonOutput.compact(record));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot append to " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
