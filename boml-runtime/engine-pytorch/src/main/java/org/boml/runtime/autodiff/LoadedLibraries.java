package org.boml.runtime.autodiff;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The native libraries of libtorch that this process has loaded, for the few calls DJL does not
 * expose: found by their file name in {@code /proc/self/maps}, never by a library search that could
 * find another copy on the system.
 */
final class LoadedLibraries {
  private LoadedLibraries() {}

  /**
   * A loaded library.
   *
   * @param fileName the library's file name, e.g. {@code libtorch_cpu.so}
   * @return the library
   * @throws IllegalStateException if no such library is mapped into this process
   */
  static NativeLibrary get(String fileName) {
    return NativeLibrary.getInstance(path(fileName).toString());
  }

  /** The path of a library mapped into this process. */
  static Path path(String fileName) {
    List<String> maps;
    try {
      maps = Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read /proc/self/maps to find the loaded " + fileName + ": " + e.getMessage(), e);
    }
    return pathIn(maps, fileName);
  }

  /** The path of a library named in a {@code /proc/<pid>/maps} listing. */
  static Path pathIn(List<String> maps, String fileName) {
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.endsWith("/" + fileName)) {
        return Path.of(line.substring(slash));
      }
    }
    throw new IllegalStateException(
        fileName + " is not loaded in this process; start DJL's PyTorch engine first");
  }
}
