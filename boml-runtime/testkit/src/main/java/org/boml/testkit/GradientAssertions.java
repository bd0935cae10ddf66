package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import org.boml.api.Variables;

/**
 * Comparisons of two hypergradients that the tests of hypergradient and dynamics plugins share: the
 * relative error in the max norm against an exact value (a closed form, the full reverse-mode
 * hypergradient), and agreement of every meta-parameter's gradient, e.g. of two strategies that
 * must compute the same numbers. Read the arrays in float64.
 */
public final class GradientAssertions {
  private GradientAssertions() {}

  /**
   * The relative error in the max norm: the largest absolute difference, over the largest absolute
   * value of the exact array.
   *
   * @param exact the reference values
   * @param approximate values of the same length
   * @return {@code max_i |exact_i - approximate_i| / max_i |exact_i|}
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double relativeMaxError(double[] exact, double[] approximate) {
    if (exact.length != approximate.length) {
      throw new IllegalArgumentException(
          "lengths differ: " + exact.length + " and " + approximate.length);
    }
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < exact.length; i++) {
      worst = Math.max(worst, Math.abs(exact[i] - approximate[i]));
      scale = Math.max(scale, Math.abs(exact[i]));
    }
    return worst / scale;
  }

  /**
   * {@link #relativeMaxError(double[], double[])} of two arrays, read as float64.
   *
   * @param exact the reference values
   * @param approximate values of the same size
   * @return {@code max_i |exact_i - approximate_i| / max_i |exact_i|}
   */
  public static double relativeMaxError(NDArray exact, NDArray approximate) {
    return relativeMaxError(exact.toDoubleArray(), approximate.toDoubleArray());
  }

  /**
   * Asserts that two gradients name the same meta-parameters and agree on every one of them.
   *
   * @param expected the reference gradient
   * @param actual the gradient under test
   * @param tolerance the largest absolute difference of any component
   * @param where appended to the name of the meta-parameter in a failure's message (may be empty)
   */
  public static void assertSameGradient(
      Variables expected, Variables actual, double tolerance, String where) {
    assertEquals(expected.names(), actual.names(), "meta-parameters" + where);
    for (String name : expected.names()) {
      assertArrayEquals(
          expected.get(name).toDoubleArray(),
          actual.get(name).toDoubleArray(),
          tolerance,
          name + where);
    }
  }
}
