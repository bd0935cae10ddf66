package org.boml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.boml.runtime.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code boml-spark} as its launcher runs it, in {@code local[2]}. */
class SparkTrainCommandTest {
  @TempDir Path temp;

  @Test
  void trainsInLocalModeAndSavesARunDirectoryForEvaluate() throws Exception {
    Path out = temp.resolve("run");
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      code =
          SparkTrainCommand.run(
              new PrintWriter(err, true),
              "--master",
              "local[2]",
              "--partitions",
              "2",
              "--iterations",
              "2",
              "--meta-batch",
              "4",
              "--seed",
              "5",
              "--out",
              out.toString());
    } finally {
      System.setOut(original);
    }
    String summary = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err + summary);
    assertTrue(summary.contains("\"master\":\"local[2]\",\"partitions\":2"), summary);
    assertTrue(summary.contains("\"iterations\":2"), summary);
    assertTrue(Files.isRegularFile(out.resolve(RunDirectory.CONFIG)), "the configuration");
    assertTrue(Files.size(out.resolve(RunDirectory.PARAMETERS)) > 0, "the meta-parameters");
    String config = Files.readString(out.resolve(RunDirectory.CONFIG));
    assertTrue(config.contains("\"hypergradient\": \"rhg\""), config);
  }

  @Test
  void anUnknownDatasetFailsWithAMessageThatSuggestsTheNearestName() {
    StringWriter err = new StringWriter();
    int code =
        SparkTrainCommand.run(
            new PrintWriter(err, true), "--dataset", "sinusiod", "--out", temp.toString());
    assertEquals(1, code, err.toString());
    assertTrue(err.toString().startsWith("boml-spark: "), err.toString());
    assertTrue(err.toString().contains("sinusiod"), err.toString());
    assertTrue(err.toString().contains("sinusoid"), "suggests the nearest name: " + err);
  }
}
