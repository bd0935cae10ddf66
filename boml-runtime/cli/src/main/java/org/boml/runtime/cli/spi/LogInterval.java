package org.boml.runtime.cli.spi;

/**
 * When a subcommand with a {@code --log-every N} option prints a progress line: after every {@code
 * N}th iteration and after the last one, or never where {@code N} is 0 (or negative).
 */
public final class LogInterval {
  private LogInterval() {}

  /**
   * Whether to print progress after an iteration.
   *
   * @param every the {@code --log-every} value; {@code <= 0} never
   * @param iteration the iteration just finished, 1-based
   * @param iterations the iterations planned
   * @return true where {@code every > 0} and the iteration is a multiple of {@code every} or the
   *     last one
   */
  public static boolean isDue(int every, int iteration, int iterations) {
    return every > 0 && (iteration % every == 0 || iteration == iterations);
  }
}
