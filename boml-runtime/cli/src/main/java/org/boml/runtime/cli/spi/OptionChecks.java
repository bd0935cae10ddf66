package org.boml.runtime.cli.spi;

/**
 * Checks of a subcommand's option values that name the option in the message of the exception they
 * throw, so that a user reads which option to change: {@code --steps must be >= 1, got 0}. A
 * subcommand's settings record calls them from its constructor.
 */
public final class OptionChecks {
  private OptionChecks() {}

  /**
   * Refuses an integer below a minimum.
   *
   * @param option the option's name, e.g. {@code --steps}
   * @param value its value
   * @param minimum the least value allowed
   * @throws IllegalArgumentException {@code "<option> must be >= <minimum>, got <value>"} where
   *     {@code value < minimum}
   */
  public static void atLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(option + " must be >= " + minimum + ", got " + value);
    }
  }

  /**
   * Refuses a number that is not both positive and finite (NaN included).
   *
   * @param option the option's name, e.g. {@code --inner-lr}
   * @param value its value
   * @throws IllegalArgumentException {@code "<option> must be a positive number, got <value>"}
   *     where {@code value} is zero, negative, infinite or NaN
   */
  public static void positive(String option, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(option + " must be a positive number, got " + value);
    }
  }
}
