package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a training process killed with SIGKILL at a random moment leaves only readable
 * files, and resuming it ends with the meta-parameters of an uninterrupted run, bit for bit.
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
    Process process = start(with(TRAINING, "--out", crashed.toString()));
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

  private static Process start(String[] arguments) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "--module-path",
                AppLayout.path(AppLayout.modules()),
                "--class-path",
                AppLayout.path(AppLayout.classpath()),
                "--module",
                "org.boml.runtime/org.boml.runtime.cli.Main"));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectOutput(new File("/dev/null"))
        .redirectError(new File("/dev/null"))
        .start();
  }
}
