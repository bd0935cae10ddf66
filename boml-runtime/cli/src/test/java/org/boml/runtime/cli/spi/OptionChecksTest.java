package org.boml.runtime.cli.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link OptionChecks}: the bounds and the messages that name the option. */
class OptionChecksTest {
  @Test
  void atLeastAcceptsTheMinimumAndRefusesOneLessNamingTheOption() {
    OptionChecks.atLeast("--steps", 1, 1);
    OptionChecks.atLeast("--steps", 7, 1);
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> OptionChecks.atLeast("--steps", 0, 1));
    assertEquals("--steps must be >= 1, got 0", error.getMessage());
  }

  @Test
  void positiveRefusesZeroNegativeInfiniteAndNaN() {
    OptionChecks.positive("--inner-lr", Double.MIN_VALUE);
    OptionChecks.positive("--inner-lr", 0.1);
    for (double bad :
        new double[] {
          0, -0.0, -1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN
        }) {
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> OptionChecks.positive("--inner-lr", bad),
              Double.toString(bad));
      assertEquals("--inner-lr must be a positive number, got " + bad, error.getMessage());
    }
  }
}
