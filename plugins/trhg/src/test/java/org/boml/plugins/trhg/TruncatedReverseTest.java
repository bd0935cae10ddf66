package org.boml.plugins.trhg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.GradientAssertions;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TRHG in float64: with {@code K >= T} it is rhg (the plugin, found by the registry) to 1e-10; with
 * {@code K < T} it is the exact gradient of the truncated function {@code F(x, Psi_{T-1}(x, ...
 * Psi_{T-K}(x, Psi_0(x) + Delta)))} with {@code Delta = y_{T-K} - y_0} frozen, checked by central
 * finite differences in both families, is non-zero for meta-initialization too, and differs from
 * the full hypergradient; its bias shrinks as {@code K} grows.
 */
class TruncatedReverseTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int STEPS = 4;

  static HypergradientModule trhg(int truncation) {
    return new TrhgProvider().create(Map.of(TrhgProvider.TRUNCATION, Integer.toString(truncation)));
  }

  static HypergradientModule rhg() {
    return TestKit.plugins().hypergradient("rhg").create(Map.of());
  }

  static List<CheckProblems.Case> allCases() {
    return CheckProblems.standardCases(11);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allCases")
  void withoutTruncationItIsRhg(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      IterationModule dynamics = new GradientDescent(testCase.learningRate());
      Hypergradient full =
          rhg().compute(instance.problem(), dynamics, instance.x().map(D::leaf), STEPS, D);
      for (int truncation : new int[] {STEPS, STEPS + 3}) {
        Hypergradient truncated =
            trhg(truncation)
                .compute(instance.problem(), dynamics, instance.x().map(D::leaf), STEPS, D);
        assertEquals(full.upperObjective(), truncated.upperObjective(), 1e-12);
        GradientAssertions.assertSameGradient(
            full.gradient(), truncated.gradient(), 1e-10, ", K=" + truncation);
      }
    }
  }

  /** The state of heavy-ball dynamics includes the velocity, which the replay must carry. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("allCases")
  void withoutTruncationItIsRhgAlsoWithMomentum(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      IterationModule dynamics = new HeavyBall(testCase.learningRate(), 0.7);
      Hypergradient full =
          rhg().compute(instance.problem(), dynamics, instance.x().map(D::leaf), STEPS, D);
      Hypergradient truncated =
          trhg(STEPS).compute(instance.problem(), dynamics, instance.x().map(D::leaf), STEPS, D);
      GradientAssertions.assertSameGradient(full.gradient(), truncated.gradient(), 1e-10, "");
      assertTruncatedGradient(instance.problem(), instance.x(), dynamics, 2, true);
    }
  }

  /**
   * In both families: for meta-initialization x enters only y_0, and the truncated hypergradient
   * reaches it through y_{T-K} = Psi_0(x) + Delta (it used to be exactly zero).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("allCases")
  void truncatedIsTheGradientWithTheEarlierDisplacementFrozen(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      IterationModule dynamics = new GradientDescent(testCase.learningRate());
      for (int truncation : new int[] {1, 2}) {
        assertTruncatedGradient(instance.problem(), instance.x(), dynamics, truncation, true);
      }
    }
  }

  /**
   * A step may pass a base parameter through as the very same array: the iterates that are freed on
   * the way (before the window, and each after its replay) must not take it with them.
   */
  @Test
  void theArraysAStepPassesThroughAreKept() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.sinusoidMlp(manager, Family.META_FEATURE, 5);
      List<String> base = instance.problem().initialBase(instance.x()).names();
      IterationModule passingThrough =
          CheckProblems.passingThrough(new GradientDescent(0.1), base.get(base.size() - 1));
      Hypergradient full =
          rhg().compute(instance.problem(), passingThrough, instance.x().map(D::leaf), STEPS, D);
      Hypergradient untruncated =
          trhg(STEPS)
              .compute(instance.problem(), passingThrough, instance.x().map(D::leaf), STEPS, D);
      GradientAssertions.assertSameGradient(full.gradient(), untruncated.gradient(), 1e-10, "");
      assertTruncatedGradient(instance.problem(), instance.x(), passingThrough, 2, true);
    }
  }

  @Test
  void truncatedIsTheGradientWithTheEarlierIterateFrozenOnTheQuadratic() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 31);
      assertTruncatedGradient(problem, problem.initialMeta(32), new GradientDescent(0.1), 2, true);
    }
  }

  /** Shaban et al.: on a strongly convex lower level the bias of h_K decays as K grows. */
  @Test
  void biasShrinksAsTheTruncationGrows() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, 6, 21);
      Variables x = problem.initialMeta(22);
      IterationModule dynamics = new GradientDescent(0.1);
      int steps = 100;
      double[] full =
          rhg()
              .compute(problem, dynamics, x.map(D::leaf), steps, D)
              .gradient()
              .get("x")
              .toDoubleArray();
      double previous = Double.POSITIVE_INFINITY;
      StringBuilder report = new StringBuilder();
      for (int truncation : new int[] {1, 10, 40, 80}) {
        double[] g =
            trhg(truncation)
                .compute(problem, dynamics, x.map(D::leaf), steps, D)
                .gradient()
                .get("x")
                .toDoubleArray();
        double bias = GradientAssertions.relativeMaxError(full, g);
        report.append(String.format(" K=%d: %.3g", truncation, bias));
        assertTrue(bias < previous, "bias did not shrink:" + report);
        previous = bias;
      }
      assertTrue(previous < 0.05, "bias at K=80 of T=100:" + report);
      System.out.println("trhg bias relative to rhg, T=" + steps + ":" + report);
    }
  }

  @Test
  void rejectsInvalidTruncations() {
    for (String bad : new String[] {"0", "-2", "five", "2.5"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new TrhgProvider().create(Map.of(TrhgProvider.TRUNCATION, bad)));
      assertTrue(
          e.getMessage().contains("truncation") && e.getMessage().contains(">= 1"), e.getMessage());
    }
    assertEquals(
        5, ((TruncatedReverseHypergradient) new TrhgProvider().create(Map.of())).truncation());
  }

  /**
   * Checks h_K against finite differences of x -> F(x, Psi_{T-1}(x, ... Psi_{T-K}(x, Psi_0(x) +
   * Delta))) with Delta = y_{T-K} - y_0 frozen at the base point, that it is not zero, and (if
   * asked) that it is not the full hypergradient.
   */
  private static void assertTruncatedGradient(
      BilevelProblem problem,
      Variables x0,
      IterationModule dynamics,
      int truncation,
      boolean differsFromFull) {
    Hypergradient truncated =
        trhg(truncation).compute(problem, dynamics, x0.map(D::leaf), STEPS, D);
    assertFalse(
        TestKit.requiresGradient(truncated.gradient().values()).contains(true),
        "the result carries a graph");
    assertTrue(
        truncated.gradient().values().stream()
            .anyMatch(g -> g.abs().max().toType(DataType.FLOAT64, false).getDouble() > 0),
        "K=" + truncation + ": the hypergradient is zero");
    int first = STEPS - truncation;
    Variables initial = dynamics.initialize(x0, problem, D);
    Variables frozen = initial;
    for (int t = 0; t < first; t++) {
      frozen = dynamics.step(t, x0, frozen, problem, D, false);
    }
    Variables displacement = frozen.zip(initial, NDArray::sub);
    List<HypergradientCheck.Direction> check =
        HypergradientCheck.compare(
            x -> {
              Variables y = dynamics.initialize(x, problem, D).zip(displacement, NDArray::add);
              for (int t = first; t < STEPS; t++) {
                y = dynamics.step(t, x, y, problem, D, false);
              }
              return problem.upperObjective(x, y).toType(DataType.FLOAT64, false).getDouble();
            },
            x0,
            truncated.gradient(),
            4,
            1e-6,
            5);
    assertTrue(HypergradientCheck.worst(check) < 1e-6, "K=" + truncation + ": " + check);
    if (differsFromFull) {
      List<HypergradientCheck.Direction> unrolled =
          HypergradientCheck.compareWithUnrolled(
              problem, dynamics, x0, truncated.gradient(), STEPS, D, 5);
      assertTrue(
          HypergradientCheck.worst(unrolled) > 1e-4,
          "K="
              + truncation
              + " of T="
              + STEPS
              + " should not be the full hypergradient: "
              + unrolled);
    }
    System.out.printf(
        "trhg K=%d of T=%d: worst relative error vs truncated FD %.2e%n",
        truncation, STEPS, HypergradientCheck.worst(check));
  }
}
