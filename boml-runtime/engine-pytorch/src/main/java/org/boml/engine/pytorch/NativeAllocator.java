package org.boml.engine.pytorch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Which native memory allocator serves this process's {@code malloc}: libtorch allocates and frees
 * a buffer for nearly every tensor, so the allocator is part of the speed of a run. The {@code
 * boml} launcher preloads tcmalloc where it is installed ({@code BOML_ALLOCATOR}, see {@code
 * docs/performance.md}); this class reads what the process actually got.
 */
public final class NativeAllocator {
  private static final Path MAPS = Path.of("/proc/self/maps");

  /** Library file name prefixes of the allocators recognised, with the name reported for each. */
  private static final Map<String, String> LIBRARIES =
      Map.of("libtcmalloc", "tcmalloc", "libjemalloc", "jemalloc", "libmimalloc", "mimalloc");

  private NativeAllocator() {}

  /**
   * The allocator of this process.
   *
   * @return {@code tcmalloc}, {@code jemalloc} or {@code mimalloc} when such a library is mapped
   *     into the process, {@code system} otherwise (the C library's own {@code malloc}), {@code
   *     unknown} where {@code /proc} is not available
   */
  public static String inUse() {
    try {
      return fromMaps(Files.readAllLines(MAPS));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The allocator named by the mapped files of a {@code /proc/<pid>/maps} listing. */
  static String fromMaps(List<String> lines) {
    for (String line : lines) {
      int slash = line.lastIndexOf('/');
      if (slash < 0) {
        continue;
      }
      String file = line.substring(slash + 1);
      for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
        if (file.startsWith(library.getKey() + ".") || file.startsWith(library.getKey() + "_")) {
          return library.getValue();
        }
      }
    }
    return "system";
  }
}
