package org.boml.engine.pytorch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The process's resident memory as Linux reports it in {@code /proc/self/status}. */
public final class PeakMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private PeakMemory() {}

  /**
   * The peak resident set size of this process so far ({@code VmHWM}), the figure the peer reports
   * as {@code ru_maxrss}.
   *
   * @return MiB, or NaN where {@code /proc} is not available
   */
  public static double peakMiB() {
    return field("VmHWM:");
  }

  /**
   * The current resident set size ({@code VmRSS}).
   *
   * @return MiB, or NaN where {@code /proc} is not available
   */
  public static double currentMiB() {
    return field("VmRSS:");
  }

  private static double field(String key) {
    try {
      return parse(Files.readAllLines(STATUS), key);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The value of a {@code kB} line of a status file, in MiB. */
  static double parse(List<String> lines, String key) {
    for (String line : lines) {
      if (line.startsWith(key)) {
        String[] parts = line.substring(key.length()).trim().split("\\s+", -1);
        if (parts.length != 2 || !parts[1].equals("kB")) {
          throw new IllegalArgumentException("unexpected status line: " + line);
        }
        return Long.parseLong(parts[0]) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
