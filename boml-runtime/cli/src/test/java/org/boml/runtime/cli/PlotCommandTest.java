package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code boml plot}: what it says when the directory is not a run, and what it writes. */
class PlotCommandTest {
  @Test
  void aMissingOrEmptyDirectoryIsAnErrorThatSaysWhy(@TempDir Path temp) {
    CliRun missing = CliRun.of("plot", temp.resolve("nope").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    CliRun empty = CliRun.of("plot", temp.toString());
    assertEquals(1, empty.code());
    assertTrue(
        empty.err().contains("has no metrics.jsonl") && empty.err().contains("train --out"),
        empty.err());
    CliRun usage = CliRun.of("plot");
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("RUN_DIR"), usage.err());
  }

  @Test
  void itListsTheFilesItWrites(@TempDir Path temp) throws Exception {
    Files.writeString(
        temp.resolve("metrics.jsonl"),
        "{\"iteration\":1,\"trainLoss\":0.5}\n{\"iteration\":2,\"trainLoss\":0.25}\n");
    CliRun plotted = CliRun.of("plot", temp.toString());
    assertEquals(0, plotted.code(), plotted.err());
    assertEquals(
        temp.resolve("loss.png") + System.lineSeparator() + temp.resolve("index.html"),
        plotted.out().strip());
  }

  @Test
  void aMetricsFileOfRandomBytesIsNamedWithItsLine(@TempDir Path temp) throws Exception {
    byte[] random = new byte[4096];
    new java.util.Random(18).nextBytes(random);
    random[0] = (byte) 0xC3; // a UTF-8 lead byte followed by one that cannot continue it
    random[1] = (byte) 0x28;
    Path metrics = temp.resolve("metrics.jsonl");
    Files.write(
        metrics,
        concat("{\"iteration\":1,\"trainLoss\":0.5}\n".getBytes(StandardCharsets.UTF_8), random));
    CliRun plotted = CliRun.of("plot", temp.toString());
    assertEquals(1, plotted.code(), plotted.err());
    assertTrue(plotted.err().contains(metrics + " line 2"), plotted.err());
    assertTrue(plotted.err().contains("not UTF-8 text"), plotted.err());
    assertFalse(Files.exists(temp.resolve("loss.png")));
  }

  @Test
  void aLineThatIsNotJsonBeforeTheLastIsNamed(@TempDir Path temp) throws Exception {
    Path metrics = temp.resolve("metrics.jsonl");
    Files.writeString(
        metrics,
        "{\"iteration\":1,\"trainLoss\":0.5}\n#~garbage\n{\"iteration\":3,\"trainLoss\":0.2}\n");
    CliRun plotted = CliRun.of("plot", temp.toString());
    assertEquals(1, plotted.code(), plotted.err());
    assertTrue(plotted.err().contains(metrics + " line 2 is not a JSON object"), plotted.err());
  }

  @Test
  void aTornLastLineIsStillSkipped(@TempDir Path temp) throws Exception {
    Files.writeString(
        temp.resolve("metrics.jsonl"),
        "{\"iteration\":1,\"trainLoss\":0.5}\n{\"iteration\":2,\"trainLoss\":0.25}\n{\"itera");
    CliRun plotted = CliRun.of("plot", temp.toString());
    assertEquals(0, plotted.code(), plotted.err());
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
