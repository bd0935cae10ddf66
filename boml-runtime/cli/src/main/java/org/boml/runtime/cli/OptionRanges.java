package org.boml.runtime.cli;

import java.util.Locale;

/**
 * Range checks of numeric command-line options, made before anything is opened or trained, with
 * errors that name the flag, the value given and the values allowed.
 */
final class OptionRanges {
  private OptionRanges() {}

  /** A finite number above zero. */
  static void positive(String option, double value) {
    require(option, value, Double.isFinite(value) && value > 0, "a finite number > 0");
  }

  /** A finite number of at least zero. */
  static void nonNegative(String option, double value) {
    require(option, value, Double.isFinite(value) && value >= 0, "a finite number >= 0");
  }

  /** A finite number in {@code [low, high)}. */
  static void inClosedOpen(String option, double value, double low, double high) {
    require(
        option,
        value,
        value >= low && value < high,
        String.format(Locale.ROOT, "a number in [%s, %s)", low, high));
  }

  /** A finite number in {@code (low, high]}. */
  static void inOpenClosed(String option, double value, double low, double high) {
    require(
        option,
        value,
        value > low && value <= high,
        String.format(Locale.ROOT, "a number in (%s, %s]", low, high));
  }

  /** An integer of at least {@code min}. */
  static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          option + " must be an integer >= " + min + ", got " + value);
    }
  }

  private static void require(String option, double value, boolean valid, String allowed) {
    if (!valid) {
      throw new IllegalArgumentException(option + " must be " + allowed + ", got " + value);
    }
  }
}
