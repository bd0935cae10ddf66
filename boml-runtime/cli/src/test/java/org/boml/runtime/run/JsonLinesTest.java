package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JsonLines}: one compact line per record, appended and on disk at once. */
class JsonLinesTest {
  @TempDir Path directory;

  record Report(String phase, int epoch, double loss) {}

  @Test
  void createsTheFileAndWritesEachRecordThroughAtOnce() throws IOException {
    Path file = directory.resolve("metrics.jsonl");
    try (JsonLines lines = JsonLines.append(file)) {
      lines.write(new Report("search", 1, 0.5));
      assertEquals(
          List.of("{\"phase\":\"search\",\"epoch\":1,\"loss\":0.5}"), Files.readAllLines(file));
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("iteration", 2);
      record.put("loss", Double.NaN);
      lines.write(record);
      assertEquals(
          List.of(
              "{\"phase\":\"search\",\"epoch\":1,\"loss\":0.5}", "{\"iteration\":2,\"loss\":null}"),
          Files.readAllLines(file));
    }
  }

  @Test
  void appendsAfterTheLinesAFileHolds() throws IOException {
    Path file = Files.writeString(directory.resolve("metrics.jsonl"), "{\"epoch\":0}\n");
    try (JsonLines lines = JsonLines.append(file)) {
      lines.write(Map.of("epoch", 1));
    }
    assertEquals(
        "{\"epoch\":0}\n{\"epoch\":1}" + System.lineSeparator(),
        Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void aFailedWriteNamesTheFile() throws IOException {
    JsonLines lines = JsonLines.append(directory.resolve("metrics.jsonl"));
    lines.close();
    UncheckedIOException error =
        assertThrows(UncheckedIOException.class, () -> lines.write(Map.of("epoch", 1)));
    assertEquals("cannot append to metrics.jsonl: Stream closed", error.getMessage());
  }

  @Test
  void aFileThatCannotBeOpenedIsRefused() {
    assertThrows(
        IOException.class, () -> JsonLines.append(directory.resolve("missing").resolve("m.jsonl")));
  }
}
