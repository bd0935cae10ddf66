package org.boml.runtime.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.Variables;

/**
 * The files of a run directory, all plain data:
 *
 * <ul>
 *   <li>{@value #CONFIG}: the {@link RunSpec} as JSON;
 *   <li>{@value #PARAMETERS}: the meta-parameters in the safetensors format (a JSON header with
 *       names, types and shapes, then the raw little-endian values), readable from Python too;
 *   <li>{@value #RESULT}: the final evaluation as JSON.
 * </ul>
 *
 * Every file is written to a temporary file in the same directory and then moved into place, so a
 * reader never sees a half-written file and the previous version stays until the new one is
 * complete.
 *
 * <p>Every file a run writes ({@value #CONFIG}, the checkpoint, the meta-parameters, {@value
 * #RESULT}, the metrics, the plots and page, the lock) is created with mode {@code 0644} ({@code
 * rw-r--r--}), less what the user's umask removes, as the files of any other tool: a run's results
 * are for others to read, and a user who wants them private sets the umask (077 gives {@code
 * 0600}). The temporary files used to keep {@code createTempFile}'s {@code 0600}, a default meant
 * for shared temporary directories, which made every file but the metrics private.
 */
public final class RunDirectory {
  /** The configuration file. */
  public static final String CONFIG = "config.json";

  /** The meta-parameters. */
  public static final String PARAMETERS = "meta-parameters.safetensors";

  /** The evaluation result. */
  public static final String RESULT = "result.json";

  private static final Gson GSON = new Gson();

  /** The mode of every file a run writes, before the umask: {@code rw-r--r--}. */
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

  private static final Logger LOG = LogManager.getLogger(RunDirectory.class);

  /**
   * The files whose presence makes a directory hold a run: {@value #CONFIG}, the checkpoint, the
   * metrics, the meta-parameters and the result.
   */
  public static final List<String> RUN_FILES =
      List.of(CONFIG, Checkpoint.FILE, MetricsLog.FILE, PARAMETERS, RESULT);

  /** The loss curves that {@code boml plot} and {@code train} draw from the metrics. */
  public static final String LOSS_PLOT = "loss.png";

  /** The accuracy curves (classification only). */
  public static final String ACCURACY_PLOT = "accuracy.png";

  /** The HTML page that shows the curves with the result and the configuration. */
  public static final String PAGE = "index.html";

  /** The files drawn from a run's other files; they belong to the run they were drawn from. */
  public static final List<String> REPORT_FILES = List.of(LOSS_PLOT, ACCURACY_PLOT, PAGE);

  private static final String TEMPORARY = ".tmp";

  private final Path directory;
  private final ChannelOpener opener;

  /** Opens the temporary file a new version is written to; a seam for tests of a full disk. */
  interface ChannelOpener {
    WritableByteChannel open(Path temporary) throws IOException;
  }

  /**
   * A run directory (created when first written).
   *
   * @param directory its path
   */
  public RunDirectory(Path directory) {
    this(directory, temporary -> FileChannel.open(temporary, StandardOpenOption.WRITE));
  }

  RunDirectory(Path directory, ChannelOpener opener) {
    this.directory = directory;
    this.opener = opener;
  }

  /**
   * The directory's path.
   *
   * @return the path
   */
  public Path path() {
    return directory;
  }

  /**
   * Saves the configuration.
   *
   * @param spec the configuration
   * @throws IOException if the directory cannot be written
   */
  public void saveSpec(RunSpec spec) throws IOException {
    writeFile(CONFIG, JsonOutput.pretty(spec).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Loads the configuration.
   *
   * @return the configuration
   * @throws IOException if it is missing or not valid JSON, with the file named
   */
  public RunSpec loadSpec() throws IOException {
    Path file = directory.resolve(CONFIG);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "'"
              + directory
              + "' is not a run directory: it has no "
              + CONFIG
              + " (train with --out DIR to create one)");
    }
    try {
      JsonElement json = JsonParser.parseString(Files.readString(file));
      if (!json.isJsonObject()) {
        throw new IOException(file + " is empty or not a JSON object");
      }
      requireKeys(file, json.getAsJsonObject());
      RunSpec spec = GSON.fromJson(json, RunSpec.class);
      if (!json.getAsJsonObject().has("method")) {
        spec.method = spec.hypergradient;
      }
      return spec;
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + " is not a valid run configuration: " + e.getMessage(), e);
    }
  }

  /** Refuses a configuration that lacks keys every run has, rather than filling in defaults. */
  private void requireKeys(Path file, JsonObject json) throws IOException {
    List<String> missing =
        RunSpec.REQUIRED_KEYS.stream()
            .filter(key -> !json.has(key) || json.get(key).isJsonNull())
            .toList();
    if (!missing.isEmpty()) {
      throw new IOException(
          file
              + " is not a complete run configuration: it lacks "
              + missing
              + "; it is damaged or was not written by boml train. Restore it from a copy, or"
              + " start the run again with train --out "
              + directory
              + " --overwrite");
    }
  }

  /**
   * Saves meta-parameters.
   *
   * @param x the meta-parameters
   * @throws IOException if the directory cannot be written
   */
  public void saveParameters(Variables x) throws IOException {
    NDList list = new NDList();
    for (String name : x.names()) {
      NDArray copy = x.get(name).duplicate();
      copy.setName(name);
      list.add(copy);
    }
    try {
      writeFile(PARAMETERS, SafetensorsFile.encode(list, Map.of()));
    } finally {
      list.close();
    }
  }

  /**
   * Loads meta-parameters.
   *
   * @param manager where the arrays are created
   * @return the meta-parameters (safetensors orders them by name)
   * @throws IOException if the file is missing, truncated, corrupt or damaged (a checksum, a value
   *     that is not finite), with the file named; a file without checksums is read with a logged
   *     warning
   */
  public Variables loadParameters(NDManager manager) throws IOException {
    Path file = directory.resolve(PARAMETERS);
    if (!Files.isRegularFile(file)) {
      throw new IOException("run directory '" + directory + "' has no " + PARAMETERS);
    }
    NDList list = SafetensorsFile.read(file, manager, LOG::warn).tensors();
    List<String> names = new ArrayList<>();
    for (NDArray array : list) {
      names.add(array.getName());
    }
    return Variables.of(names, list);
  }

  /**
   * Saves any JSON document, e.g. the evaluation result.
   *
   * @param name the file name
   * @param document a JSON-serializable object (maps, lists, numbers, strings)
   * @throws IOException if the directory cannot be written
   */
  public void saveJson(String name, Object document) throws IOException {
    writeFile(name, JsonOutput.pretty(document).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The files of {@link #RUN_FILES} that the directory holds; none for a directory that holds no
   * run (or does not exist).
   *
   * @return their names
   */
  public List<String> runFiles() {
    return RUN_FILES.stream().filter(name -> Files.exists(directory.resolve(name))).toList();
  }

  /**
   * Refuses to start a new run in a directory that holds one ({@link #runFiles()}), unless the user
   * asked to replace it. Every command that starts a run calls it with the directory's {@link
   * RunLock} held, before it writes anything.
   *
   * @param overwrite whether the user asked to replace the run ({@code --overwrite})
   * @param resumable whether the command can continue the run ({@code --resume})
   * @throws IllegalArgumentException naming the directory, the run's files and the choices
   */
  public void refuseToReplace(boolean overwrite, boolean resumable) {
    List<String> files = runFiles();
    if (!files.isEmpty() && !overwrite) {
      throw new IllegalArgumentException(
          directory
              + " already holds a run ("
              + String.join(", ", files)
              + "): "
              + (resumable ? "continue it with --resume " + directory + ", " : "")
              + "replace it with --overwrite, or choose another --out");
    }
  }

  /**
   * Deletes the run the directory holds, to replace it ({@code --overwrite}): the {@link
   * #RUN_FILES} and the {@link #REPORT_FILES} drawn from them; other files are kept.
   *
   * @throws IOException if one cannot be deleted, naming it
   */
  public void deleteRun() throws IOException {
    deleteFiles(RUN_FILES);
    deleteFiles(REPORT_FILES);
  }

  /**
   * Deletes files of the directory, where they exist; other files are kept.
   *
   * @param names the files' names
   * @throws IOException if one cannot be deleted, naming it
   */
  public void deleteFiles(List<String> names) throws IOException {
    for (String name : names) {
      try {
        Files.deleteIfExists(directory.resolve(name));
      } catch (IOException e) {
        throw new IOException("cannot delete " + directory.resolve(name) + ": " + e, e);
      }
    }
  }

  /**
   * Deletes the temporary files of writes that never finished ({@code .<name>*.tmp}, left by a
   * process killed while writing). Only for the holder of the directory's {@link RunLock}: nobody
   * else is writing then.
   *
   * @return the files deleted
   * @throws IOException if the directory cannot be listed or a file deleted
   */
  public List<Path> deleteTemporaryFiles() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> deleted = new ArrayList<>();
    try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(TEMPORARY) && Files.isRegularFile(entry)) {
          Files.delete(entry);
          deleted.add(entry);
        }
      }
    }
    return deleted;
  }

  /**
   * The attribute that creates a file with {@link #FILE_MODE}, where the file system has POSIX
   * permissions (none elsewhere).
   *
   * @param directory the directory the file is created in
   * @return the attributes to create the file with
   */
  static FileAttribute<?>[] fileMode(Path directory) {
    return directory.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
        : new FileAttribute<?>[0];
  }

  /**
   * Writes a file of the run directory atomically (temporary file, flushed to disk, then moved over
   * the old one).
   *
   * @param name the file's name
   * @param content its bytes
   * @throws IOException if the directory cannot be written (read-only, full, missing permissions),
   *     naming the file and saying that its previous version is kept
   */
  public void writeFile(String name, byte[] content) throws IOException {
    Path target = directory.resolve(name);
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, "." + name, TEMPORARY, fileMode(directory));
      try {
        try (WritableByteChannel channel = opener.open(temporary)) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          if (channel instanceof FileChannel file) {
            file.force(true);
          }
        }
        try {
          Files.move(
              temporary,
              target,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new IOException(
          "cannot write "
              + target
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "): check that "
              + directory
              + " is writable and its disk has free space;"
              + (Files.exists(target)
                  ? " the previous version of the file is kept"
                  : " nothing was written"),
          e);
    }
  }
}
