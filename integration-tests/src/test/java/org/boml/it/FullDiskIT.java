package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training into a real full or read-only file system: a 64 KiB tmpfs, which fills up after a few
 * checkpoints, and a read-only one. Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is
 * skipped and RunDirectoryTest covers the same paths through a simulated full disk.
 */
class FullDiskIT {
  @TempDir Path temp;

  private static String[] training(Path out, String iterations) {
    return new String[] {
      "train",
      "--iterations",
      iterations,
      "--meta-batch",
      "2",
      "--checkpoint-every",
      "10",
      "--workers",
      "1",
      "--eval-episodes",
      "2",
      "--seed",
      "5",
      "--out",
      out.toString()
    };
  }

  /** A check on a mounted file system. */
  private interface OnDisk {
    void check(Path disk) throws Exception;
  }

  /** Mounts a tmpfs with options, runs the check on it, and unmounts it. */
  private void onTmpfs(String options, OnDisk test) throws Exception {
    Path point = Files.createDirectories(temp.resolve("disk"));
    int status = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", point.toString()));
    Assumptions.assumeTrue(status == 0, "cannot mount a tmpfs here (needs root)");
    try {
      test.check(point);
    } finally {
      assertEquals(0, run(List.of("umount", point.toString())), "umount " + point);
    }
  }

  @Test
  void aFullDiskStopsTrainingAndKeepsAResumableCheckpoint() throws Exception {
    onTmpfs("size=64k", this::fullDisk);
  }

  @Test
  void aReadOnlyOutputDirectoryIsRefusedBeforeTraining() throws Exception {
    onTmpfs("ro,size=64k", FullDiskIT::readOnlyDisk);
  }

  private void fullDisk(Path disk) throws Exception {
    Path run = disk.resolve("run");
    CliResult full = BomlCli.run(training(run, "400"));
    assertEquals(1, full.exitCode(), full::toString);
    assertTrue(
        full.stderr().contains("boml: cannot write " + run)
            && full.stderr().contains("No space left on device")
            && full.stderr().contains("is kept; once the cause is fixed, continue with --resume"),
        full::toString);
    assertTrue(Files.exists(run.resolve("checkpoint.safetensors")), full::toString);
    try (Stream<Path> files = Files.list(run)) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")),
          "no temporary file is left");
    }

    Path moved = temp.resolve("moved");
    copy(run, moved);
    CliResult resumed = BomlCli.run("train", "--resume", moved.toString());
    assertEquals(0, resumed.exitCode(), resumed::toString);
    Path whole = temp.resolve("whole");
    CliResult uninterrupted = BomlCli.run(training(whole, "400"));
    assertEquals(0, uninterrupted.exitCode(), uninterrupted::toString);
    assertArrayEquals(
        Files.readAllBytes(whole.resolve("meta-parameters.safetensors")),
        Files.readAllBytes(moved.resolve("meta-parameters.safetensors")),
        "the checkpoint left on the full disk resumes to the uninterrupted result");
  }

  private static void readOnlyDisk(Path disk) {
    Path run = disk.resolve("run");
    CliResult refused = BomlCli.run(training(run, "400"));
    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(
        refused.stderr().contains("boml: cannot write " + run.resolve(".lock"))
            && refused.stderr().contains("Read-only file system")
            && refused.stderr().contains("is writable"),
        refused::toString);
    assertTrue(!refused.stderr().contains("iteration"), "refused before training" + refused);
  }

  private static int run(List<String> command) throws Exception {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    } catch (IOException e) {
      return -1; // no mount command
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
