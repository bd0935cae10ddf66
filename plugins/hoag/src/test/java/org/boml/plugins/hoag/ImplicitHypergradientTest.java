package org.boml.plugins.hoag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.testkit.CountingDifferentiator;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * HOAG in float64 on the quadratic problem, whose hypergradient at the lower-level optimum has a
 * closed form: with y_T converged it matches to 1e-6; the direct term partial_x F is included; the
 * conjugate-gradient cap and tolerance are obeyed and trade Hessian-vector products for accuracy
 * (conjugate gradient itself is boml-api's, tested there: ConjugateGradientTest).
 */
class ImplicitHypergradientTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int BASE = 20;
  private static final int STEPS = 400;
  private static final GradientDescent DYNAMICS = new GradientDescent(0.1);

  static HypergradientModule hoag(int iterations, double tolerance) {
    return new HoagProvider()
        .create(
            Map.of(
                HoagProvider.CG_ITERATIONS, Integer.toString(iterations),
                HoagProvider.TOLERANCE, Double.toString(tolerance)));
  }

  @Test
  void matchesTheClosedFormWithAConvergedLowerLevel() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 21);
      Variables x = problem.initialMeta(22);
      Hypergradient h =
          new HoagProvider().create(Map.of()).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, D);
      assertFalse(
          TestKit.requiresGradient(h.gradient().values()).contains(true),
          "the result carries a graph");
      double error = relativeError(problem.exactHypergradient(x).get("x"), h.gradient().get("x"));
      System.out.printf("hoag, defaults, T=%d: relative error vs closed form %.2e%n", STEPS, error);
      assertTrue(error < 1e-6, "relative error " + error);
      // with few lower-level steps y_T is far from y* and so is the implicit hypergradient
      Hypergradient early =
          new HoagProvider().create(Map.of()).compute(problem, DYNAMICS, x.map(D::leaf), 5, D);
      assertTrue(
          relativeError(problem.exactHypergradient(x).get("x"), early.gradient().get("x")) > 1e-2);
    }
  }

  /** F + w/2 |x|^2 has the hypergradient of F plus w x: the direct term partial_x F counts. */
  @Test
  void includesTheDirectTerm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 4, BASE, 23);
      double weight = 0.7;
      BilevelProblem problem = new WithMetaPenalty(quadratic, weight);
      Variables x = quadratic.initialMeta(24);
      Hypergradient h =
          new HoagProvider().create(Map.of()).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, D);
      double[] exact = quadratic.exactHypergradient(x).get("x").toDoubleArray();
      double[] values = x.get("x").toDoubleArray();
      for (int i = 0; i < exact.length; i++) {
        exact[i] += weight * values[i];
      }
      double error = relativeError(manager.create(exact), h.gradient().get("x"));
      System.out.printf("hoag with a direct term: relative error vs closed form %.2e%n", error);
      assertTrue(error < 1e-6, "relative error " + error);
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
                () -> hoag(cap, 1e-10).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, counting));
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
            hoag(100, tolerance).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, counting);
        double error = relativeError(exact, h.gradient().get("x"));
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
  void rejectsInvalidOptionsAndZeroSteps() {
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
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 2, 3, 1);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new HoagProvider()
                      .create(Map.of())
                      .compute(problem, DYNAMICS, problem.initialMeta(2).map(D::leaf), 0, D));
      assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
  }

  private static double relativeError(NDArray exact, NDArray approximate) {
    double[] a = exact.toDoubleArray();
    double[] b = approximate.toDoubleArray();
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(a[i]));
    }
    return worst / scale;
  }

  /** A problem whose upper objective adds w/2 |x|^2. */
  private static final class WithMetaPenalty implements BilevelProblem {
    private final QuadraticProblem inner;
    private final NDArray halfWeight;

    WithMetaPenalty(QuadraticProblem inner, double weight) {
      this.inner = inner;
      this.halfWeight = D.constant(inner.manager(), weight / 2, DataType.FLOAT64);
    }

    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      return inner.lowerObjective(step, x, y);
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      return inner.upperObjective(x, y).add(x.get("x").square().sum().mul(halfWeight));
    }

    @Override
    public Variables initialBase(Variables x) {
      return inner.initialBase(x);
    }

    @Override
    public NDManager manager() {
      return inner.manager();
    }
  }
}
