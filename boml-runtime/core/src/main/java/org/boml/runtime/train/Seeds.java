package org.boml.runtime.train;

/**
 * Derives independent seeds from one run seed, so that every task is fixed by (seed, iteration,
 * index) alone, whatever the number of worker threads.
 */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed seed for one task (SplitMix64 finalizer over the combined inputs). */
  public static long task(long runSeed, long iteration, long index) {
    return mix(mix(mix(runSeed) + iteration) + index);
  }

  static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
