package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock of a run directory against a second JVM (a small Java program that locks the file the
 * same way), a lock left by a killed process, and a refused run that leaves nothing behind.
 */
class RunLockTest {
  /**
   * Locks the file named by its argument as RunLock does, prints "locked", waits for stdin's end.
   */
  private static final String HOLDER =
      """
      import java.nio.channels.FileChannel;
      import java.nio.file.*;
      public class Holder {
        public static void main(String[] args) throws Exception {
          FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
              StandardOpenOption.READ, StandardOpenOption.WRITE);
          if (channel.tryLock() == null) { System.out.println("busy"); return; }
          channel.truncate(0);
          channel.write(java.nio.ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\\n").getBytes()), 0);
          System.out.println("locked");
          System.in.read();
        }
      }
      """;

  @TempDir Path temp;

  private Process holder(Path directory) throws IOException {
    Path source = Files.writeString(temp.resolve("Holder.java"), HOLDER);
    Files.createDirectories(directory);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(source.toString());
    command.add(directory.resolve(RunLock.FILE).toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("locked", out.readLine(), "the other JVM holds the lock");
    return process;
  }

  @Test
  void aSecondProcessIsRefusedWithTheHoldersIdAndAKilledHoldersLockIsTakenOver() throws Exception {
    Path run = temp.resolve("run");
    Process other = holder(run);
    try {
      IOException busy = assertThrows(IOException.class, () -> RunLock.acquire(run, note -> {}));
      assertTrue(
          busy.getMessage().contains("process " + other.pid())
              && busy.getMessage().contains(run.resolve(RunLock.FILE).toString())
              && busy.getMessage().contains("is in use"),
          busy.getMessage());
      assertEquals(OptionalLong.of(other.pid()), RunLock.holder(run), "readers see the holder");
    } finally {
      other.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(OptionalLong.empty(), RunLock.holder(run), "a dead process holds nothing");
    List<String> notes = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(run, notes::add)) {
      assertEquals(1, notes.size(), notes.toString());
      assertTrue(
          notes.get(0).contains("process " + other.pid()) && notes.get(0).contains("taking over"),
          notes.get(0));
      assertEquals(
          Long.toString(ProcessHandle.current().pid()),
          Files.readString(run.resolve(RunLock.FILE)).strip());
      IOException again = assertThrows(IOException.class, () -> RunLock.acquire(run, n -> {}));
      assertTrue(again.getMessage().contains("this process"), again.getMessage());
    }
    assertEquals("", Files.readString(run.resolve(RunLock.FILE)), "released: emptied, kept");
    try (RunLock lock = RunLock.acquire(run, notes::add)) {
      assertEquals(1, notes.size(), "a released lock is no leftover");
    }
  }

  @Test
  void aDirectoryThatOnlyTheLockCreatedIsRemovedAgain() throws IOException {
    Path fresh = temp.resolve("fresh");
    RunLock.acquire(fresh, note -> {}).close();
    assertFalse(Files.exists(fresh), "a refused run leaves nothing behind");
    Path used = temp.resolve("used");
    try (RunLock lock = RunLock.acquire(used, note -> {})) {
      Files.writeString(used.resolve(RunDirectory.CONFIG), "{}");
    }
    assertTrue(Files.exists(used.resolve(RunLock.FILE)));
  }

  @Test
  void anUnwritableDirectoryIsNamed() throws IOException {
    Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
    IOException error =
        assertThrows(IOException.class, () -> RunLock.acquire(file.resolve("run"), n -> {}));
    assertTrue(
        error.getMessage().startsWith("cannot write " + file.resolve("run").resolve(RunLock.FILE))
            && error.getMessage().contains("is writable"),
        error.getMessage());
  }
}
