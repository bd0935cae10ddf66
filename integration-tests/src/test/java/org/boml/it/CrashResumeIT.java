package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a training process killed with SIGKILL at a random moment leaves only readable
 * files, and resuming it (taking over the lock the killed process left) ends with the
 * meta-parameters of an uninterrupted run, bit for bit.
 */
class CrashResumeIT {
  private static final String[] TRAINING = {
    "train",
    "--iterations",
    "1500",
    "--meta-batch",
    "5",
    "--eval-episodes",
    "5",
    "--checkpoint-every",
    "7",
    "--workers",
    "2",
    "--seed",
    "11"
  };

  @Test
  void killedAndResumedRunEqualsUninterruptedRun(@TempDir Path temp) throws Exception {
    Path whole = temp.resolve("whole");
    CliResult uninterrupted = BomlCli.run(with(TRAINING, "--out", whole.toString()));
    assertEquals(0, uninterrupted.exitCode(), uninterrupted.toString());

    Path crashed = temp.resolve("crashed");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Process process =
        BomlCli.start(
            temp.resolve("crashed.out"),
            temp.resolve("crashed.err"),
            with(TRAINING, "--out", crashed.toString()));
    // Wait for the first checkpoint, then kill at a random moment of the rest of the run.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(crashed.resolve("checkpoint.safetensors"))
        && process.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(random.nextInt(1500));
    assertTrue(process.isAlive(), "the run must still be going when it is killed");
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertTrue(
        !Files.exists(crashed.resolve("meta-parameters.safetensors")),
        "the kill interrupted training");

    CliResult readable =
        BomlCli.run("evaluate", "--checkpoint", crashed.toString(), "--episodes", "2");
    assertTrue(
        readable.stderr().contains("has no meta-parameters.safetensors"),
        "after a kill (seed "
            + seed
            + ") the configuration is readable and only the final parameters are missing"
            + readable);
    CliResult resumed =
        BomlCli.run("train", "--resume", crashed.toString(), "--eval-episodes", "5");
    assertEquals(0, resumed.exitCode(), "seed " + seed + resumed);
    assertTrue(
        resumed.stderr().contains("taking over the lock of " + crashed)
            && resumed.stderr().contains("left by process " + process.pid()),
        "the killed process's lock is taken over with a note" + resumed);
    assertArrayEquals(
        Files.readAllBytes(whole.resolve("meta-parameters.safetensors")),
        Files.readAllBytes(crashed.resolve("meta-parameters.safetensors")),
        "the resumed run ends where the uninterrupted one does (kill seed " + seed + ")" + resumed);
  }

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
