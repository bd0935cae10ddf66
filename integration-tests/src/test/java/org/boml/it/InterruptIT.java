package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) and SIGTERM during training: the run stops after the iteration in progress,
 * writes a checkpoint of it (the periodic checkpoint comes only at the end here), releases its run
 * directory, prints where it stopped and the command that resumes it; resumed, it ends with the
 * meta-parameters of an uninterrupted run, bit for bit.
 */
class InterruptIT {
  private static final String[] TRAINING = {
    "train",
    "--iterations",
    "1500",
    "--meta-batch",
    "5",
    "--eval-episodes",
    "5",
    "--checkpoint-every",
    "1500",
    "--validate-every",
    "0",
    "--workers",
    "2",
    "--seed",
    "11"
  };
  private static final Pattern STOPPED =
      Pattern.compile("boml: stopped after iteration (\\d+) of 1500; its checkpoint is in ");

  @TempDir static Path shared;
  private static byte[] uninterrupted;

  @BeforeAll
  static void trainWithoutInterruption() throws Exception {
    Path whole = shared.resolve("whole");
    CliResult result = BomlCli.run(with("--out", whole.toString()));
    assertEquals(0, result.exitCode(), result.toString());
    uninterrupted = Files.readAllBytes(whole.resolve("meta-parameters.safetensors"));
  }

  @Test
  void ctrlCWritesACheckpointAndTheResumedRunEqualsAnUninterruptedOne(@TempDir Path temp)
      throws Exception {
    stopAndResume(temp, "INT", 130);
  }

  @Test
  void sigtermWritesACheckpointAndTheResumedRunEqualsAnUninterruptedOne(@TempDir Path temp)
      throws Exception {
    stopAndResume(temp, "TERM", 143);
  }

  private static void stopAndResume(Path temp, String signal, int status) throws Exception {
    Path run = temp.resolve("run");
    Path err = temp.resolve("err");
    Process process = BomlCli.start(temp.resolve("out"), err, with("--out", run.toString()));
    long seed = System.nanoTime();
    // metrics.jsonl fills its buffer after some 40 iterations: training is under way
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Path metrics = run.resolve("metrics.jsonl");
    while (!(Files.exists(metrics) && Files.size(metrics) > 0)
        && process.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(new Random(seed).nextInt(1000));
    assertTrue(process.isAlive(), "still training when signalled" + Files.readString(err));
    assertEquals(
        0,
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "it stops");
    String stderr = Files.readString(err);
    assertEquals(status, process.exitValue(), stderr);
    Matcher stopped = STOPPED.matcher(stderr);
    assertTrue(stopped.find(), "where it stopped (seed " + seed + "):\n" + stderr);
    assertTrue(
        stderr.contains(
            run.resolve("checkpoint.safetensors") + ". Resume with: boml train --resume " + run),
        stderr);
    assertTrue(Files.exists(run.resolve("checkpoint.safetensors")), "the final checkpoint");
    assertEquals("", Files.readString(run.resolve(".lock")), "the run directory is released");
    assertEquals(
        Integer.parseInt(stopped.group(1)),
        Files.readAllLines(metrics).size(),
        "the metrics end at the checkpoint's iteration");

    CliResult resumed = BomlCli.run("train", "--resume", run.toString());
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(
        resumed.stderr().contains("after iteration " + stopped.group(1)), resumed.toString());
    assertTrue(!resumed.stderr().contains("taking over the lock"), resumed.toString());
    assertArrayEquals(
        uninterrupted,
        Files.readAllBytes(run.resolve("meta-parameters.safetensors")),
        "the resumed run ends where the uninterrupted one does (seed " + seed + ")");
  }

  private static String[] with(String... more) {
    String[] all = new String[TRAINING.length + more.length];
    System.arraycopy(TRAINING, 0, all, 0, TRAINING.length);
    System.arraycopy(more, 0, all, TRAINING.length, more.length);
    return all;
  }
}
