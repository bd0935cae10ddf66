package org.boml.testkit.builtin;

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
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.Adam;
import org.boml.plugins.basicdynamics.AdamProvider;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.DynamicsChecks;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.StateBlindProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adam dynamics in float64: three steps follow the paper's recurrence (bias correction included)
 * with the moments and the count in the state and never in f; the hypergradient through the
 * unrolled steps (graph kept, and by a replay that carries the moments' adjoints) matches central
 * finite differences; and it stays finite where a gradient component is exactly zero.
 */
class AdamTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final int STEPS = 4;

  static List<CheckProblems.Case> problems() {
    return CheckProblems.standardCases(23);
  }

  @Test
  void followsTheAdamRecurrence() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, 53);
      BilevelProblem problem = new StateBlindProblem(quadratic, name -> name.contains("#"));
      Variables x = quadratic.initialMeta(54);
      double lr = 0.1;
      double b1 = 0.8;
      double b2 = 0.95;
      double eps = 1e-8;
      Adam adam = new Adam(lr, b1, b2, eps);
      Variables state = adam.initialize(x, problem, D);
      assertEquals(List.of("y", "y#adam-m", "y#adam-v", "#adam-step"), state.names());
      double[] y = state.get("y").toDoubleArray();
      double[] m = new double[y.length];
      double[] v = new double[y.length];
      for (int t = 0; t < 3; t++) {
        Variables leaf = Variables.of(Map.of("y", D.leaf(manager.create(y))));
        double[] g =
            D.gradient(quadratic.lowerObjective(t, x, leaf), leaf, false).get("y").toDoubleArray();
        int k = t + 1;
        for (int i = 0; i < y.length; i++) {
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          double mHat = m[i] / (1 - Math.pow(b1, k));
          double vHat = v[i] / (1 - Math.pow(b2, k));
          y[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
        state = adam.step(t, x, state, problem, D, false);
        assertArrayEquals(y, state.get("y").toDoubleArray(), 1e-13, "y at step " + t);
        assertArrayEquals(m, state.get("y#adam-m").toDoubleArray(), 1e-13, "m at step " + t);
        assertArrayEquals(v, state.get("y#adam-v").toDoubleArray(), 1e-13, "v at step " + t);
        assertEquals(k, state.get("#adam-step").toDoubleArray()[0], 0.0, "count at step " + t);
      }
      assertEquals(List.of("y"), Adam.parameters(state).names());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void hypergradientThroughAdamMatchesFiniteDifferences(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule adam = new Adam(0.01, 0.9, 0.99, 1e-3);
      Variables graph =
          DynamicsChecks.assertExactAndReplayable(
              "adam, " + testCase, problem, adam, instance.x(), STEPS, D, 1e-10, 29);
      List<HypergradientCheck.Direction> other =
          HypergradientCheck.compareWithUnrolled(
              problem, new GradientDescent(0.01), instance.x(), graph, STEPS, D, 29);
      assertTrue(HypergradientCheck.worst(other) > 1e-4, "adam is not gradient descent: " + other);
    }
  }

  /**
   * y_0 = x = (0, 0, 1.3), f = (y_0 y_1)^2 / 2 + (y_2 - b)^2 / 2: the gradient of the first two
   * components and its derivatives are exactly zero at every step (they never move, so their
   * hypergradient is y_T - c = -c there), and the derivative of sqrt(v) at v = 0 is infinite:
   * without the floor the reverse pass multiplies 0 by it and the hypergradient is NaN.
   */
  @Test
  void theHypergradientIsFiniteWhereAGradientComponentIsExactlyZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      BilevelProblem problem = new StuckProduct(manager);
      Variables x = Variables.of(Map.of("x", owned(manager, new double[] {0, 0, 1.3})));
      IterationModule adam = new Adam(0.05, 0.9, 0.999, 1e-3);
      Variables graph =
          DynamicsChecks.assertExactAndReplayable(
              "adam, stuck", problem, adam, x, STEPS, D, 1e-12, 31);
      double[] g = graph.get("x").toDoubleArray();
      for (double value : g) {
        assertTrue(Double.isFinite(value), java.util.Arrays.toString(g));
      }
      assertEquals(-StuckProduct.C[0], g[0], 1e-12);
      assertEquals(-StuckProduct.C[1], g[1], 1e-12);
    }
  }

  @Test
  void rejectsInvalidOptionsAndStatesWithoutMoments() {
    AdamProvider provider = new AdamProvider();
    for (String key : new String[] {AdamProvider.BETA1, AdamProvider.BETA2}) {
      for (String bad : new String[] {"1", "-0.1", "fast"}) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> provider.create(Map.of(key, bad)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> provider.create(Map.of(AdamProvider.EPSILON, "0")));
    assertThrows(
        IllegalArgumentException.class,
        () -> provider.create(Map.of(AdamProvider.LEARNING_RATE, "-1")));
    Adam defaults = (Adam) provider.create(Map.of());
    assertEquals(0.001, defaults.learningRate());
    assertArrayEquals(new double[] {0.9, 0.999, 1e-8}, defaults.constants());
    DynamicsChecks.assertRefusesAStepWithoutItsState(defaults, "Adam.initialize");
  }

  private static NDArray owned(NDManager manager, double[] values) {
    try (NDArray javaBacked = manager.create(values)) {
      return javaBacked.duplicate();
    }
  }

  /** y_0 = x, f = (y_0 y_1)^2 / 2 + (y_2 - b)^2 / 2, F = |y - c|^2 / 2. */
  private static final class StuckProduct implements BilevelProblem {
    static final double[] C = {1.0, 0.1, 0.4};
    private final NDManager manager;
    private final NDArray b;
    private final NDArray c;
    private final NDArray half;

    StuckProduct(NDManager manager) {
      this.manager = manager;
      this.b = owned(manager, new double[] {-0.3});
      this.c = owned(manager, C);
      this.half = manager.full(new Shape(), 0.5f, DataType.FLOAT64);
    }

    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      NDArray v = y.get("x");
      NDArray product = v.get("0:1").mul(v.get("1:2"));
      return product.square().sum().add(v.get("2:3").sub(b).square().sum()).mul(half);
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      return y.get("x").sub(c).square().sum().mul(half);
    }

    @Override
    public Variables initialBase(Variables x) {
      return x.select(name -> name.equals("x"));
    }

    @Override
    public NDManager manager() {
      return manager;
    }
  }
}
