package org.example.neumann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boml.api.BilevelProblem;
import org.boml.api.BomlApi;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.testkit.CountingDifferentiator;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The Neumann hypergradient in float64 on the test kit's quadratic problem, whose hypergradient at
 * the lower-level optimum has a closed form (A has eigenvalues in [1/2, ~5], so alpha = 0.1
 * converges at a rate of at most 0.95 per term): enough terms match it to 1e-6, the error falls
 * with every term, the direct term counts, a divergent series is reported, concurrent calls give
 * the sequential numbers, options are validated, and the versions come from the module descriptor.
 *
 * <p>check-plugin compares against the unrolled T-step objective with T in {1, 3}, which an
 * implicit method does not approximate; this closed form is the check that fits it.
 */
class NeumannHypergradientTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int BASE = 20;
  private static final int STEPS = 400;
  private static final IterationModule DYNAMICS = TestKit.gradientDescent(0.1);

  static HypergradientModule neumann(int terms, double alpha) {
    return new NeumannProvider()
        .create(
            Map.of(
                NeumannProvider.TERMS,
                Integer.toString(terms),
                NeumannProvider.ALPHA,
                Double.toString(alpha)));
  }

  @Test
  void matchesTheClosedFormWithEnoughTerms() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 21);
      Variables x = problem.initialMeta(22);
      Hypergradient h = neumann(500, 0.1).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, D);
      assertFalse(
          TestKit.requiresGradient(h.gradient().values()).contains(true),
          "the result carries a graph");
      double error = relativeError(problem.exactHypergradient(x).get("x"), h.gradient().get("x"));
      System.out.printf(
          "neumann, terms 500, alpha 0.1, T=%d: relative error vs closed form %.2e%n",
          STEPS, error);
      assertTrue(error < 1e-6, "relative error " + error);
    }
  }

  @Test
  void theErrorFallsWithEveryTerm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 25);
      Variables x = problem.initialMeta(26);
      NDArray exact = problem.exactHypergradient(x).get("x");
      double previous = Double.POSITIVE_INFINITY;
      StringBuilder report = new StringBuilder();
      for (int terms : new int[] {0, 5, 20, 80, 320}) {
        CountingDifferentiator counting = new CountingDifferentiator(D);
        Hypergradient h =
            neumann(terms, 0.1).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, counting);
        double error = relativeError(exact, h.gradient().get("x"));
        report.append(String.format(" %d: %.2e", terms, error));
        // K Hessian-vector products, then one product for the mixed term
        assertEquals(terms + 1, counting.products(), "products with terms=" + terms);
        assertTrue(error < previous, "the error did not fall with more terms:" + report);
        previous = error;
      }
      assertTrue(previous < 1e-5, report.toString());
      System.out.println("neumann error by terms (alpha 0.1):" + report);
    }
  }

  /** p_1 = v + (I - alpha H) v = 2 v - alpha H v, checked with one product of our own. */
  @Test
  void oneTermIsTwoVMinusAlphaHv() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 29);
      Variables x = problem.initialMeta(30);
      Variables y = problem.initialBase(x).map(D::leaf);
      Variables g = D.gradient(problem.lowerObjective(0, x, y), y, true);
      Variables v =
          Variables.of(Map.of("y", manager.arange(BASE).toType(DataType.FLOAT64, false).sin()));
      NDArray alpha = D.constant(manager, 0.3, DataType.FLOAT64);
      Variables p = NeumannHypergradient.neumannSum(w -> D.vjp(g, w, y, false), v, 1, alpha);
      double[] hv = D.vjp(g, v, y, false).get("y").toDoubleArray();
      double[] vs = v.get("y").toDoubleArray();
      double[] expected = new double[BASE];
      for (int i = 0; i < BASE; i++) {
        expected[i] = 2 * vs[i] - 0.3 * hv[i];
      }
      assertArrayEquals(expected, p.get("y").toDoubleArray(), 1e-12);
      assertEquals(
          v,
          NeumannHypergradient.neumannSum(w -> D.vjp(g, w, y, false), v, 0, alpha),
          "K = 0 is v");
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
      Hypergradient h = neumann(500, 0.1).compute(problem, DYNAMICS, x.map(D::leaf), STEPS, D);
      double[] exact = quadratic.exactHypergradient(x).get("x").toDoubleArray();
      double[] values = x.get("x").toDoubleArray();
      for (int i = 0; i < exact.length; i++) {
        exact[i] += weight * values[i];
      }
      double error = relativeError(manager.create(exact), h.gradient().get("x"));
      assertTrue(error < 1e-6, "relative error " + error);
    }
  }

  /** alpha = 1 with eigenvalues up to ~5: |1 - alpha lambda| reaches ~4 and the sum overflows. */
  @Test
  void reportsADivergentSeries() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 31);
      Variables x = problem.initialMeta(32).map(D::leaf);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> neumann(1000, 1.0).compute(problem, DYNAMICS, x, STEPS, D));
      assertTrue(
          e.getMessage().contains("diverged") && e.getMessage().contains("alpha"), e.getMessage());
    }
  }

  /** One module serves the tasks of a meta-batch on several threads at once. */
  @Test
  void concurrentCallsGiveTheSequentialResults() throws Exception {
    HypergradientModule module = neumann(50, 0.1);
    try (NDManager manager = NDManager.newBaseManager()) {
      List<QuadraticProblem> problems =
          List.of(
              new QuadraticProblem(manager, 4, BASE, 41),
              new QuadraticProblem(manager, 4, BASE, 42));
      double[][] sequential = new double[2][];
      for (int i = 0; i < 2; i++) {
        sequential[i] = solve(module, problems.get(i), 50 + i);
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 3; round++) {
          List<Future<double[]>> results =
              List.of(
                  pool.submit(() -> solve(module, problems.get(0), 50)),
                  pool.submit(() -> solve(module, problems.get(1), 51)));
          for (int i = 0; i < 2; i++) {
            assertArrayEquals(
                sequential[i], results.get(i).get(), "task " + i + ", round " + round);
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void rejectsInvalidOptionsAndZeroSteps() {
    for (String bad : new String[] {"-1", "ten", "1.5"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new NeumannProvider().create(Map.of(NeumannProvider.TERMS, bad)));
      assertTrue(e.getMessage().contains("'terms'"), e.getMessage());
    }
    for (String bad : new String[] {"0", "-0.1", "fast", "NaN", "Infinity"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new NeumannProvider().create(Map.of(NeumannProvider.ALPHA, bad)));
      assertTrue(e.getMessage().contains("'alpha'"), e.getMessage());
    }
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> new NeumannProvider().create(Map.of("iterations", "3")));
    assertTrue(unknown.getMessage().contains("accepted: [terms, alpha]"), unknown.getMessage());
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 2, 3, 1);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  neumann(5, 0.1)
                      .compute(problem, DYNAMICS, problem.initialMeta(2).map(D::leaf), 0, D));
      assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
  }

  /**
   * Compiled with --module-version, the descriptor records both versions; nothing is overridden.
   */
  @Test
  void versionsComeFromTheModuleDescriptor() {
    NeumannProvider provider = new NeumannProvider();
    assertEquals("org.example.neumann", provider.getClass().getModule().getName());
    assertEquals("1.0.0", provider.version());
    assertEquals(BomlApi.VERSION, provider.apiVersion());
    assertEquals("neumann", provider.name());
  }

  private static double[] solve(HypergradientModule module, QuadraticProblem problem, long seed) {
    try (NDManager scratch = problem.manager().newSubManager()) {
      Variables x = problem.initialMeta(seed).map(D::leaf);
      double[] result =
          module.compute(problem, DYNAMICS, x, 100, D).gradient().get("x").toDoubleArray();
      x.values().forEach(value -> value.attach(scratch));
      return result;
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
