package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every numeric option of {@code boml train} refuses zero, negative or non-finite values where they
 * make no sense, before any plugin is opened or file written, with an error that names the flag.
 */
class TrainOptionRangesTest {
  @TempDir Path temp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--inner-lr, 0",
    "--inner-lr, -0.1",
    "--inner-lr, NaN",
    "--inner-lr, Infinity",
    "--inner-steps, -1",
    "--meta-batch, 0",
    "--meta-batch, -3",
    "--meta-lr, 0",
    "--meta-lr, -1e-3",
    "--meta-lr, NaN",
    "--meta-lr, -Infinity",
    "--momentum, -0.5",
    "--momentum, 1",
    "--momentum, NaN",
    "--lr-decay, 0",
    "--lr-decay, 1.5",
    "--lr-decay, NaN",
    "--lr-decay-every, 0",
    "--clip-norm, -1",
    "--clip-norm, NaN",
    "--clip-norm, Infinity",
    "--skip-bad-tasks, -1",
    "--iterations, 0",
    "--iterations, -5",
    "--workers, 0",
    "--eval-episodes, 0",
    "--checkpoint-every, -1"
  })
  void outOfRangeNumbersAreRefusedByFlagBeforeAnythingIsWritten(String option, String value)
      throws Exception {
    Path out = temp.resolve("run");
    PrintStream previous = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Main.run("train", option, value, "--out", out.toString());
    } finally {
      System.setErr(previous);
    }
    String stderr = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, stderr);
    assertTrue(stderr.startsWith("boml: " + option + " must be "), stderr);
    assertTrue(
        stderr.contains("got " + Double.parseDouble(value)) || stderr.contains("got " + value),
        stderr);
    assertFalse(Files.exists(out), "nothing is written for a refused option");
  }
}
