package org.boml.engine.pytorch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which native memory allocator serves this process's {@code malloc}: libtorch allocates and frees
 * a buffer for nearly every tensor, so the allocator is part of the speed of a run. The {@code
 * boml} launcher preloads tcmalloc where it is installed ({@code BOML_ALLOCATOR}, see {@code
 * docs/performance.md}); this class reads what the process actually got.
 */
public final class NativeAllocator {
  private static final Path MAPS = Path.of("/proc/self/maps");
  private static final long MIB = 1L << 20;

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

  /**
   * The allocator of this process with the setting that shapes its memory: for tcmalloc, the bound
   * on the freed memory its per-thread caches hold together ({@code
   * TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES}, which the {@code boml} launcher sets to 4 MiB), as
   * tcmalloc itself reports it.
   *
   * @return e.g. {@code tcmalloc (thread caches at most 4 MiB)}, or {@link #inUse()}'s name alone
   */
  public static String describe() {
    String name = inUse();
    return "tcmalloc".equals(name)
        ? described(name, NativeHeap.tcmallocProperty("tcmalloc.max_total_thread_cache_bytes"))
        : name;
  }

  /** The allocator's name with the bound on its thread caches, where known. */
  static String described(String name, OptionalLong threadCacheBytes) {
    if (threadCacheBytes.isEmpty()) {
      return name;
    }
    long bytes = threadCacheBytes.getAsLong();
    String amount = bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
    return name + " (thread caches at most " + amount + ")";
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
