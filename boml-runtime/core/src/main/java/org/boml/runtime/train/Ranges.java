package org.boml.runtime.train;

import java.util.Locale;

/**
 * Range checks of numeric settings, shared by the training configuration ({@link TrainingConfig},
 * which names the quantity, e.g. {@code meta-batch}) and the command line (which names the flag,
 * e.g. {@code --meta-batch}): each refuses a value with an error that names it, the value given and
 * the values allowed, e.g. {@code --meta-lr must be a finite number > 0, got NaN}.
 */
public final class Ranges {
  private Ranges() {}

  /**
   * Requires a finite number above zero.
   *
   * @param name the quantity or flag, for the message
   * @param value the value
   * @throws IllegalArgumentException if it is out of range
   */
  public static void positive(String name, double value) {
    require(name, value, Double.isFinite(value) && value > 0, "a finite number > 0");
  }

  /**
   * Requires a finite number of at least zero.
   *
   * @param name the quantity or flag, for the message
   * @param value the value
   * @throws IllegalArgumentException if it is out of range
   */
  public static void nonNegative(String name, double value) {
    require(name, value, Double.isFinite(value) && value >= 0, "a finite number >= 0");
  }

  /**
   * Requires a number in {@code [low, high)}.
   *
   * @param name the quantity or flag, for the message
   * @param value the value
   * @param low the least allowed
   * @param high the bound above, not allowed
   * @throws IllegalArgumentException if it is out of range
   */
  public static void inClosedOpen(String name, double value, double low, double high) {
    require(
        name,
        value,
        value >= low && value < high,
        String.format(Locale.ROOT, "a number in [%s, %s)", low, high));
  }

  /**
   * Requires a number in {@code (low, high]}.
   *
   * @param name the quantity or flag, for the message
   * @param value the value
   * @param low the bound below, not allowed
   * @param high the most allowed
   * @throws IllegalArgumentException if it is out of range
   */
  public static void inOpenClosed(String name, double value, double low, double high) {
    require(
        name,
        value,
        value > low && value <= high,
        String.format(Locale.ROOT, "a number in (%s, %s]", low, high));
  }

  /**
   * Requires an integer of at least {@code min}.
   *
   * @param name the quantity or flag, for the message
   * @param value the value
   * @param min the least allowed
   * @throws IllegalArgumentException if it is out of range
   */
  public static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be an integer >= " + min + ", got " + value);
    }
  }

  private static void require(String name, double value, boolean valid, String allowed) {
    if (!valid) {
      throw new IllegalArgumentException(name + " must be " + allowed + ", got " + value);
    }
  }
}
