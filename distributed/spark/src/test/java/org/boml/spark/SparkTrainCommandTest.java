package org.boml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code boml-spark} as its launcher runs it, in {@code local[2]}. */
class SparkTrainCommandTest {
  @TempDir Path temp;

  /**
   * Trains into a directory that held a run of its own, with {@code --overwrite}: the old run's
   * files (and plots) are replaced, other files kept.
   */
  @Test
  void trainsInLocalModeAndSavesARunDirectoryForEvaluate() throws Exception {
    Path out = temp.resolve("run");
    Files.createDirectories(out);
    Files.writeString(out.resolve(RunDirectory.CONFIG), "{\"old\": true}");
    Files.writeString(out.resolve(RunDirectory.LOSS_PLOT), "stale");
    Files.writeString(out.resolve("notes.txt"), "mine");
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
              out.toString(),
              "--overwrite");
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
    assertFalse(Files.exists(out.resolve(RunDirectory.LOSS_PLOT)), "the old run's plot is gone");
    assertEquals("mine", Files.readString(out.resolve("notes.txt")), "other files are kept");
    assertEquals("", Files.readString(out.resolve(RunLock.FILE)), "the lock is released");
  }

  /**
   * A run directory that holds a run is refused, as by boml train, before Spark starts; it used to
   * be overwritten without a word.
   */
  @Test
  void aDirectoryThatHoldsARunIsRefusedAndLeftAsItIs() throws Exception {
    Path out = Files.createDirectories(temp.resolve("run"));
    Files.writeString(out.resolve(RunDirectory.CONFIG), "{\"old\": true}");
    StringWriter err = new StringWriter();
    int code = SparkTrainCommand.run(new PrintWriter(err, true), "--out", out.toString());
    assertEquals(2, code, err.toString());
    assertEquals(
        "boml-spark: "
            + out
            + " already holds a run (config.json): replace it with --overwrite, or choose another"
            + " --out",
        err.toString().strip());
    assertEquals("{\"old\": true}", Files.readString(out.resolve(RunDirectory.CONFIG)));
  }

  /** The run directory's lock is taken, as by boml train: a held lock refuses the run. */
  @Test
  void aLockedRunDirectoryIsRefused() throws Exception {
    Path out = temp.resolve("run");
    StringWriter err = new StringWriter();
    int code;
    try (RunLock held = RunLock.acquire(out, note -> {})) {
      code = SparkTrainCommand.run(new PrintWriter(err, true), "--out", out.toString());
    }
    assertEquals(1, code, err.toString());
    assertTrue(err.toString().contains(out + " is already locked by this process"), err.toString());
    assertEquals(List.of(), new RunDirectory(out).runFiles(), "nothing is written");
  }

  /** Spark's local files go to java.io.tmpdir: a missing one is named before Spark starts. */
  @Test
  void aMissingTemporaryDirectoryIsNamedWithTheFix() {
    Path missing = temp.resolve("no-such-tmpdir");
    String saved = System.getProperty("java.io.tmpdir");
    StringWriter err = new StringWriter();
    int code;
    System.setProperty("java.io.tmpdir", missing.toString());
    try {
      code =
          SparkTrainCommand.run(
              new PrintWriter(err, true), "--out", temp.resolve("run").toString());
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
    assertEquals(2, code, err.toString());
    assertEquals(
        "boml-spark: java.io.tmpdir "
            + missing
            + " does not exist: Spark keeps its block and shuffle files there. Create it, point"
            + " -Djava.io.tmpdir at a writable directory, or give --conf spark.local.dir=DIR",
        err.toString().strip());
    assertFalse(Files.exists(temp.resolve("run")), "nothing is written");
  }

  @Test
  void overwriteWithoutOutIsRefused() {
    StringWriter err = new StringWriter();
    assertEquals(2, SparkTrainCommand.run(new PrintWriter(err, true), "--overwrite"));
    assertTrue(err.toString().contains("--overwrite replaces the run in --out"), err.toString());
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
