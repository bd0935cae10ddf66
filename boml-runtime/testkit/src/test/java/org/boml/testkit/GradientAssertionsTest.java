package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.Variables;
import org.junit.jupiter.api.Test;

/**
 * The max-norm relative error divides the largest difference by the exact array's largest
 * magnitude; gradients that differ in one component beyond the tolerance, or in the names of their
 * meta-parameters, fail the comparison, and the failure names the meta-parameter.
 */
class GradientAssertionsTest {
  @Test
  void theRelativeErrorIsTheLargestDifferenceOverTheLargestMagnitude() {
    assertEquals(
        0.1,
        GradientAssertions.relativeMaxError(new double[] {2, -4}, new double[] {2.4, -4.1}),
        1e-15);
    assertEquals(0, GradientAssertions.relativeMaxError(new double[] {1, 2}, new double[] {1, 2}));
    try (NDManager manager = NDManager.newBaseManager()) {
      assertEquals(
          0.25,
          GradientAssertions.relativeMaxError(
              manager.create(new double[] {0, -8}), manager.create(new double[] {2, -8})),
          1e-15);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> GradientAssertions.relativeMaxError(new double[] {1}, new double[] {1, 2}));
  }

  @Test
  void gradientsAgreeOnlyWithinTheToleranceAndOnTheSameNames() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables expected = ab(manager, new double[] {1, 2}, 3);
      GradientAssertions.assertSameGradient(
          expected, ab(manager, new double[] {1, 2 + 1e-11}, 3), 1e-10, "");
      Variables off = ab(manager, new double[] {1, 2}, 3 + 1e-9);
      AssertionError e =
          assertThrows(
              AssertionError.class,
              () -> GradientAssertions.assertSameGradient(expected, off, 1e-10, ", K=3"));
      assertTrue(e.getMessage().startsWith("b, K=3"), e.getMessage());
      Variables fewer = expected.select("a"::equals);
      assertThrows(
          AssertionError.class,
          () -> GradientAssertions.assertSameGradient(expected, fewer, 1e-10, ""));
    }
  }

  private static Variables ab(NDManager manager, double[] a, double b) {
    return Variables.of(
        List.of("a", "b"), List.of(manager.create(a), manager.create(new double[] {b})));
  }
}
