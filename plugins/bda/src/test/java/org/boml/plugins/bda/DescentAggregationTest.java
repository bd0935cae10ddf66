package org.boml.plugins.bda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.DynamicsChecks;
import org.boml.testkit.GradientAssertions;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BDA in float64: with alpha = 0 it is gradient descent, bit for bit, trajectory and rhg
 * hypergradient; one step is the stated aggregate with mu_t = alpha / (t + 1); rhg through BDA
 * matches finite differences of the unrolled objective; on a lower level with a line of minimizers
 * BDA reaches a minimizer that is better for the upper level than gradient descent's.
 */
class DescentAggregationTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int STEPS = 3;

  static IterationModule bda(double alpha, double upperRate, double lowerRate) {
    return new BdaProvider()
        .create(
            Map.of(
                BdaProvider.ALPHA, Double.toString(alpha),
                BdaProvider.UPPER_RATE, Double.toString(upperRate),
                BdaProvider.LEARNING_RATE, Double.toString(lowerRate)));
  }

  static HypergradientModule rhg() {
    return TestKit.plugins().hypergradient("rhg").create(Map.of());
  }

  static List<CheckProblems.Case> problems() {
    return CheckProblems.standardCases(13);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void withoutAggregationItIsGradientDescent(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule aggregation = bda(0, 0.5, testCase.learningRate());
      IterationModule descent = new GradientDescent(testCase.learningRate());
      DynamicsChecks.assertSameTrajectory(
          descent, aggregation, problem, instance.x(), STEPS, D, 0.0);
      Hypergradient throughAggregation =
          rhg().compute(problem, aggregation, instance.x().map(D::leaf), STEPS, D);
      Hypergradient throughDescent =
          rhg().compute(problem, descent, instance.x().map(D::leaf), STEPS, D);
      assertEquals(throughDescent.upperObjective(), throughAggregation.upperObjective(), 0.0);
      GradientAssertions.assertSameGradient(
          throughDescent.gradient(), throughAggregation.gradient(), 0.0, "");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void rhgThroughAggregationMatchesFiniteDifferences(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule aggregation = bda(0.8, 0.5, testCase.learningRate());
      Hypergradient h = rhg().compute(problem, aggregation, instance.x().map(D::leaf), STEPS, D);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compareWithUnrolled(
              problem, aggregation, instance.x(), h.gradient(), STEPS, D, 17);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, testCase + ": " + check);
      // The upper-level direction changes the trajectory: this is not gradient descent's
      // hypergradient.
      IterationModule descent = new GradientDescent(testCase.learningRate());
      List<HypergradientCheck.Direction> plain =
          HypergradientCheck.compareWithUnrolled(
              problem, descent, instance.x(), h.gradient(), STEPS, D, 17);
      assertTrue(HypergradientCheck.worst(plain) > 1e-4, testCase + ": " + plain);
      System.out.printf(
          "bda (alpha 0.8) + rhg, %s: worst relative error vs FD %.2e%n",
          testCase, HypergradientCheck.worst(check));
    }
  }

  /** y_{t+1} = y_t - ((1 - mu_t) s_l grad_y f + mu_t s_u grad_y F), mu_t = alpha / (t + 1). */
  @Test
  void oneStepIsTheStatedAggregate() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 41);
      Variables x = problem.initialMeta(42);
      double alpha = 0.6;
      double upperRate = 0.3;
      double lowerRate = 0.07;
      IterationModule aggregation = bda(alpha, upperRate, lowerRate);
      Variables y = Variables.of(Map.of("y", gaussian(manager, 5, 43)));
      for (int t = 0; t < 3; t++) {
        Variables tracked = y.map(D::leaf);
        double[] gf =
            D.gradient(problem.lowerObjective(t, x, tracked), tracked, false)
                .get("y")
                .toDoubleArray();
        double[] gF =
            D.gradient(problem.upperObjective(x, tracked), tracked, false).get("y").toDoubleArray();
        double[] current = y.get("y").toDoubleArray();
        double mu = alpha / (t + 1);
        double[] expected = new double[current.length];
        for (int i = 0; i < current.length; i++) {
          expected[i] = current[i] - ((1 - mu) * lowerRate * gf[i] + mu * upperRate * gF[i]);
        }
        y = aggregation.step(t, x, y, problem, D, false);
        assertArrayEquals(expected, y.get("y").toDoubleArray(), 1e-14, "step " + t);
      }
    }
  }

  /**
   * f(x, y) = 1/2 (y_1 + y_2 - x)^2 with x = 1 has the line y_1 + y_2 = 1 of minimizers; F(x, y) =
   * 1/2 |y - c|^2 with c = (2, -1) on that line. Gradient descent from 0 stops at the minimizer
   * nearest to 0, (1/2, 1/2), where F = 2.25; BDA, pulled by grad_y F, ends near c.
   */
  @Test
  void selectsALowerLevelMinimizerThatIsBetterForTheUpperLevel() {
    try (NDManager manager = NDManager.newBaseManager()) {
      BilevelProblem problem = new LineOfMinimizers(manager, new double[] {2.0, -1.0});
      Variables x = Variables.of(Map.of("x", manager.create(1.0)));
      int steps = 2000;
      double[] descent = run(problem, new GradientDescent(0.1), x, steps);
      double[] aggregation = run(problem, bda(1.0, 0.5, 0.1), x, steps);
      // both end on the line y_1 + y_2 = 1
      assertEquals(1.0, descent[0] + descent[1], 1e-9);
      assertEquals(1.0, aggregation[0] + aggregation[1], 1e-3);
      double upperDescent = upper(descent, 2.0, -1.0);
      double upperAggregation = upper(aggregation, 2.0, -1.0);
      System.out.printf(
          "line of minimizers: F(gd) = %.4f, F(bda) = %.2e (c is on the line: best 0)%n",
          upperDescent, upperAggregation);
      assertEquals(2.25, upperDescent, 1e-9, "gradient descent ends at (1/2, 1/2)");
      assertTrue(upperAggregation < 1e-2, "BDA should end near c: F = " + upperAggregation);
    }
  }

  @Test
  void registeredWithTheLearningRateTheCommandLineSets() {
    IterationModuleProvider provider = TestKit.plugins().iteration("bda");
    assertTrue(provider.options().stream().anyMatch(o -> o.name().equals("lr")));
    DescentAggregation defaults = (DescentAggregation) provider.create(Map.of());
    assertEquals(0.5, defaults.weight(0), 0.0);
    assertEquals(0.25, defaults.weight(1), 0.0);
  }

  @Test
  void rejectsInvalidOptions() {
    Map<String, String[]> bad =
        Map.of(
            BdaProvider.ALPHA, new String[] {"-0.1", "1.5", "half", "NaN"},
            BdaProvider.UPPER_RATE, new String[] {"0", "-1", "x"},
            BdaProvider.LEARNING_RATE, new String[] {"0", "-0.1", "Infinity"});
    bad.forEach(
        (key, values) -> {
          for (String value : values) {
            IllegalArgumentException e =
                assertThrows(
                    IllegalArgumentException.class,
                    () -> new BdaProvider().create(Map.of(key, value)),
                    key + "=" + value);
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
          }
        });
    assertThrows(
        IllegalArgumentException.class, () -> new BdaProvider().create(Map.of("beta", "1")));
  }

  private static double[] run(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps) {
    Variables y = dynamics.initialize(x, problem, D);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, D, false);
    }
    return y.get("y").toDoubleArray();
  }

  private static double upper(double[] y, double c1, double c2) {
    return 0.5 * ((y[0] - c1) * (y[0] - c1) + (y[1] - c2) * (y[1] - c2));
  }

  private static NDArray gaussian(NDManager manager, int size, long seed) {
    java.util.Random random = new java.util.Random(seed);
    double[] values = new double[size];
    for (int i = 0; i < size; i++) {
      values[i] = random.nextGaussian();
    }
    try (NDArray javaBacked = manager.create(values)) {
      return javaBacked.duplicate();
    }
  }

  /** f(x, y) = 1/2 (y_1 + y_2 - x)^2, F(x, y) = 1/2 |y - c|^2, y_0 = 0. */
  private static final class LineOfMinimizers implements BilevelProblem {
    private final NDManager manager;
    private final NDArray target;
    private final NDArray half;

    LineOfMinimizers(NDManager manager, double[] target) {
      this.manager = manager;
      try (NDArray javaBacked = manager.create(target)) {
        this.target = javaBacked.duplicate();
      }
      this.half = manager.full(new Shape(), 0.5f, DataType.FLOAT64);
    }

    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      return y.get("y").sum().sub(x.get("x")).square().mul(half);
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      return y.get("y").sub(target).square().sum().mul(half);
    }

    @Override
    public Variables initialBase(Variables x) {
      return Variables.of(Map.of("y", manager.zeros(new Shape(2), DataType.FLOAT64)));
    }

    @Override
    public NDManager manager() {
      return manager;
    }
  }
}
