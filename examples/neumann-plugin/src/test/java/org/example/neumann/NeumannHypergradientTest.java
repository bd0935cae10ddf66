package org.example.neumann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.boml.api.BomlApi;
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
 * The Neumann hypergradient in float64 on the test kit's quadratic problem, whose hypergradient at
 * the lower-level optimum has a closed form (A has eigenvalues in [1/2, ~5], so alpha = 0.1
 * converges at a rate of at most 0.95 per term): the kit's implicit-hypergradient contract (enough
 * terms match it to 1e-6, the direct term counts, zero steps are refused); the error falls with
 * every term, a divergent series is reported, concurrent calls give the sequential numbers, options
 * are validated, and the versions come from the module descriptor.
 *
 * <p>check-plugin compares against the unrolled T-step objective with T in {1, 3}, which an
 * implicit method does not approximate; the contract's closed form is the check that fits it.
 */
class NeumannHypergradientTest extends ImplicitHypergradientContract {
  private static final Differentiator D = TestKit.differentiator();

  static HypergradientModule neumann(int terms, double alpha) {
    return new NeumannProvider()
        .create(
            Map.of(
                NeumannProvider.TERMS,
                Integer.toString(terms),
                NeumannProvider.ALPHA,
                Double.toString(alpha)));
  }

  @Override
  protected HypergradientModule converged() {
    return neumann(500, 0.1);
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
            neumann(terms, 0.1).compute(problem, dynamics(), x.map(D::leaf), STEPS, counting);
        double error = GradientAssertions.relativeMaxError(exact, h.gradient().get("x"));
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

  /** alpha = 1 with eigenvalues up to ~5: |1 - alpha lambda| reaches ~4 and the sum overflows. */
  @Test
  void reportsADivergentSeries() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 31);
      Variables x = problem.initialMeta(32).map(D::leaf);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> neumann(1000, 1.0).compute(problem, dynamics(), x, STEPS, D));
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
  void rejectsInvalidOptions() {
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
          module.compute(problem, dynamics(), x, 100, D).gradient().get("x").toDoubleArray();
      x.values().forEach(value -> value.attach(scratch));
      return result;
    }
  }
}
