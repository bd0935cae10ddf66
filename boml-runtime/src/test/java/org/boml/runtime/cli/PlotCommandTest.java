package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code boml plot}: what it says when the directory is not a run, and what it writes. */
class PlotCommandTest {
  /** Runs the command line and returns the exit code, then standard output, then standard error. */
  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      code = Main.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {
      Integer.toString(code),
      stdout.toString(StandardCharsets.UTF_8),
      stderr.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void aMissingOrEmptyDirectoryIsAnErrorThatSaysWhy(@TempDir Path temp) {
    String[] missing = run("plot", temp.resolve("nope").toString());
    assertEquals("1", missing[0]);
    assertTrue(missing[2].contains("does not exist"), missing[2]);
    String[] empty = run("plot", temp.toString());
    assertEquals("1", empty[0]);
    assertTrue(
        empty[2].contains("has no metrics.jsonl") && empty[2].contains("train --out"), empty[2]);
    String[] usage = run("plot");
    assertEquals("2", usage[0]);
    assertTrue(usage[2].contains("RUN_DIR"), usage[2]);
  }

  @Test
  void itListsTheFilesItWrites(@TempDir Path temp) throws Exception {
    Files.writeString(
        temp.resolve("metrics.jsonl"),
        "{\"iteration\":1,\"trainLoss\":0.5}\n{\"iteration\":2,\"trainLoss\":0.25}\n");
    String[] plotted = run("plot", temp.toString());
    assertEquals("0", plotted[0], plotted[2]);
    assertEquals(
        temp.resolve("loss.png") + System.lineSeparator() + temp.resolve("index.html"),
        plotted[1].strip());
  }
}
