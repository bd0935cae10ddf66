package org.boml.plugins.hoag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.Variables;
import org.boml.testkit.CountingDifferentiator;
import org.boml.testkit.GradientAssertions;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.boml.testkit.contract.ImplicitHypergradientContract;
import org.junit.jupiter.api.Test;

/**
 * HOAG in float64 on the quadratic problem, whose hypergradient at the lower-level optimum has a
 * closed form: the test kit's implicit-hypergradient contract (with y_T converged it matches to
 * 1e-6, the direct term partial_x F is included, zero steps are refused); with y_T far from y* it
 * does not; the conjugate-gradient cap and tolerance are obeyed and trade Hessian-vector products
 * for accuracy (conjugate gradient itself is boml-api's, tested there: ConjugateGradientTest).
 */
class ImplicitHypergradientTest extends ImplicitHypergradientContract {
  private static final Differentiator D = TestKit.differentiator();

  static HypergradientModule hoag(int iterations, double tolerance) {
    return new HoagProvider()
        .create(
            Map.of(
                HoagProvider.CG_ITERATIONS, Integer.toString(iterations),
                HoagProvider.TOLERANCE, Double.toString(tolerance)));
  }

  @Override
  protected HypergradientModule converged() {
    return new HoagProvider().create(Map.of());
  }

  /** With few lower-level steps y_T is far from y* and so is the implicit hypergradient. */
  @Test
  void isFarFromTheClosedFormBeforeTheLowerLevelConverges() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 21);
      Variables x = problem.initialMeta(22);
      Hypergradient early = converged().compute(problem, dynamics(), x.map(D::leaf), 5, D);
      assertTrue(
          GradientAssertions.relativeMaxError(
                  problem.exactHypergradient(x).get("x"), early.gradient().get("x"))
              > 1e-2);
    }
  }

  /**
   * A cap below what the tolerance needs is refused after exactly that many products (the mixed
   * product is never taken), and the residual in the message shrinks as the cap grows.
   */
  @Test
  void aCapBelowWhatTheToleranceNeedsIsRefused() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 25);
      Variables x = problem.initialMeta(26);
      double previous = Double.POSITIVE_INFINITY;
      StringBuilder report = new StringBuilder();
      for (int cap : new int[] {1, 2, 4, 8}) {
        CountingDifferentiator counting = new CountingDifferentiator(D);
        IllegalStateException e =
            assertThrows(
                IllegalStateException.class,
                () ->
                    hoag(cap, 1e-10).compute(problem, dynamics(), x.map(D::leaf), STEPS, counting));
        assertEquals(cap, counting.products(), "products with cg-iterations=" + cap);
        java.util.regex.Matcher residual =
            java.util.regex.Pattern.compile("relative residual (\\S+) ").matcher(e.getMessage());
        assertTrue(residual.find(), e.getMessage());
        double value = Double.parseDouble(residual.group(1));
        report.append(String.format(" %d: %.2e", cap, value));
        assertTrue(value > 1e-10 && value < previous, "residuals by cap:" + report);
        assertTrue(
            e.getMessage().contains("after " + cap + " Hessian-vector products"), e.getMessage());
        previous = value;
      }
      System.out.println("hoag refused, relative residual by cg-iterations:" + report);
    }
  }

  @Test
  void aLooserToleranceStopsEarlierWithALargerError() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 27);
      Variables x = problem.initialMeta(28);
      NDArray exact = problem.exactHypergradient(x).get("x");
      double previousError = Double.POSITIVE_INFINITY;
      int previousProducts = 0;
      StringBuilder report = new StringBuilder();
      for (double tolerance : new double[] {1e-1, 1e-3, 1e-6, 1e-10}) {
        CountingDifferentiator counting = new CountingDifferentiator(D);
        Hypergradient h =
            hoag(100, tolerance).compute(problem, dynamics(), x.map(D::leaf), STEPS, counting);
        double error = GradientAssertions.relativeMaxError(exact, h.gradient().get("x"));
        int products = counting.products() - 1;
        report.append(String.format(" %.0e: %d products, error %.2e;", tolerance, products, error));
        assertTrue(
            products > previousProducts, "a tighter tolerance must need more products:" + report);
        assertTrue(error < previousError, "a tighter tolerance must be more accurate:" + report);
        previousError = error;
        previousProducts = products;
      }
      assertTrue(previousError < 1e-6, report.toString());
      System.out.println("hoag by tolerance (cap 100):" + report);
    }
  }

  @Test
  void rejectsInvalidOptions() {
    for (String bad : new String[] {"0", "-1", "ten", "1.5"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new HoagProvider().create(Map.of(HoagProvider.CG_ITERATIONS, bad)));
      assertTrue(e.getMessage().contains("'cg-iterations'"), e.getMessage());
    }
    for (String bad : new String[] {"-1e-6", "tight", "NaN"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new HoagProvider().create(Map.of(HoagProvider.TOLERANCE, bad)));
      assertTrue(e.getMessage().contains("'tolerance'"), e.getMessage());
    }
  }
}
