package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real processes on one run directory: while one trains, a second {@code train} (resuming or
 * overwriting) is refused naming the process that holds the lock, and {@code evaluate} reads the
 * directory without taking the lock or changing a file.
 */
class RunLockIT {
  @Test
  void aRunInProgressIsLockedAgainstASecondTrainAndOnlyReadByEvaluate(@TempDir Path temp)
      throws Exception {
    Path run = temp.resolve("run");
    Process trainer =
        BomlCli.start(
            temp.resolve("trainer.out"),
            temp.resolve("trainer.err"),
            "train",
            "--iterations",
            "1000000",
            "--meta-batch",
            "2",
            "--checkpoint-every",
            "20",
            "--validate-every",
            "0",
            "--workers",
            "1",
            "--out",
            run.toString());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(run.resolve("checkpoint.safetensors"))
          && trainer.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(trainer.isAlive(), Files.readString(temp.resolve("trainer.err")));
      byte[] config = Files.readAllBytes(run.resolve("config.json"));
      String holder = "process " + trainer.pid();

      CliResult resumed = BomlCli.run("train", "--resume", run.toString());
      assertEquals(1, resumed.exitCode(), resumed.toString());
      assertTrue(
          resumed.stderr().contains(run + " is in use: " + holder + " holds its lock"),
          resumed.toString());

      CliResult overwriting =
          BomlCli.run("train", "--iterations", "2", "--out", run.toString(), "--overwrite");
      assertEquals(1, overwriting.exitCode(), overwriting.toString());
      assertTrue(overwriting.stderr().contains(holder), overwriting.toString());

      CliResult evaluated =
          BomlCli.run("evaluate", "--checkpoint", run.toString(), "--episodes", "1");
      assertTrue(
          evaluated.stderr().contains("is being trained by " + holder)
              && evaluated.stderr().contains("has no meta-parameters.safetensors"),
          evaluated.toString());

      assertTrue(trainer.isAlive(), "the first run goes on");
      assertArrayEquals(config, Files.readAllBytes(run.resolve("config.json")));
      assertEquals(
          Long.toString(trainer.pid()), Files.readString(run.resolve(".lock")).strip(), "its lock");
    } finally {
      trainer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
