package org.boml.runtime.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The exclusive right to train in a run directory, held for the whole run: file {@value #FILE} in
 * the directory, locked with {@link FileChannel#tryLock()} and holding the process id of the
 * holder.
 *
 * <ul>
 *   <li>A second process is refused with the process id that holds the lock.
 *   <li>The operating system releases the lock when its process ends, however it ends; a lock file
 *       that still names a process but is not locked was left by a process that was killed, and is
 *       taken over with a note naming that process.
 *   <li>On release the file is emptied, and removed together with the directory if this lock
 *       created the directory and nothing else was written there (a refused run leaves nothing).
 * </ul>
 *
 * Readers ({@code evaluate}, {@code plot}) do not take the lock; they can ask {@link #holder(Path)}
 * whether a run is in progress.
 */
public final class RunLock implements AutoCloseable {
  /** The lock file's name. */
  public static final String FILE = ".lock";

  private final Path directory;
  private final boolean createdDirectory;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path directory, boolean createdDirectory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.createdDirectory = createdDirectory;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of a run directory, creating the directory if needed.
   *
   * @param directory the run directory
   * @param notes told when a lock left by a killed process is taken over
   * @return the lock, to close when the run ends
   * @throws IOException if another process holds the lock (naming its process id), this process
   *     holds it already, or the directory cannot be written
   */
  public static RunLock acquire(Path directory, Consumer<String> notes) throws IOException {
    Path file = directory.resolve(FILE);
    boolean created = !Files.isDirectory(directory);
    FileChannel channel;
    try {
      Files.createDirectories(directory);
      channel =
          FileChannel.open(
              file,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
              RunDirectory.fileMode(directory));
    } catch (IOException e) {
      throw new IOException(
          "cannot write "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "): check that "
              + directory
              + " is writable and its disk has free space; nothing was written",
          e);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException(
            directory
                + " is in use: "
                + describe(read(channel))
                + " holds its lock "
                + file
                + " and trains there; wait until it ends or stop it (Ctrl-C writes a checkpoint),"
                + " then run again");
      }
      String previous = read(channel);
      if (!previous.isEmpty()) {
        notes.accept(
            "taking over the lock of "
                + directory
                + " left by "
                + describe(previous)
                + ", which ended without releasing it (killed?)");
      }
      write(channel, Long.toString(ProcessHandle.current().pid()) + "\n");
      return new RunLock(directory, created, channel, lock);
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new IOException(directory + " is already locked by this process", e);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Takes the lock of a run directory to write a run there, as every command that trains does, and
   * deletes the temporary files of writes that an earlier, killed process never finished.
   *
   * @param directory the run directory
   * @param warnings told when a lock left by a killed process is taken over
   * @param notes told of each temporary file deleted
   * @return the lock, to close when the run ends
   * @throws IOException if the lock cannot be taken ({@link #acquire}) or a file deleted
   */
  public static RunLock acquireForWriting(
      Path directory, Consumer<String> warnings, Consumer<String> notes) throws IOException {
    RunLock lock = acquire(directory, warnings);
    try {
      for (Path left : new RunDirectory(directory).deleteTemporaryFiles()) {
        notes.accept("deleted " + left + ", an unfinished write of an earlier process");
      }
      return lock;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * The process that holds the lock of a run directory, as its lock file says, if that process is
   * alive. Takes no lock, so that readers never stand in a training run's way.
   *
   * @param directory the run directory
   * @return the process id, or empty if no live process is named
   */
  public static OptionalLong holder(Path directory) {
    String text;
    try {
      text = Files.readString(directory.resolve(FILE), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    try {
      long pid = Long.parseLong(text);
      return ProcessHandle.of(pid).map(p -> OptionalLong.of(pid)).orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Empties the lock file and releases the lock; removes a directory that only it created. */
  @Override
  public void close() throws IOException {
    try (channel) {
      write(channel, "");
      if (createdDirectory && holdsOnlyTheLockFile()) {
        Files.delete(directory.resolve(FILE));
        Files.delete(directory);
      }
      lock.release();
    }
  }

  private boolean holdsOnlyTheLockFile() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.allMatch(p -> p.getFileName().toString().equals(FILE));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static String describe(String content) {
    return content.isEmpty() ? "another process (its id is not written yet)" : "process " + content;
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
  }

  private static void write(FileChannel channel, String content) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
  }
}
