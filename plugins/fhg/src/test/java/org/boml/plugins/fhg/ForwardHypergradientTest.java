package org.boml.plugins.fhg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.Adam;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FHG in float64: equal to rhg (the plugin, found by the registry) to 1e-9 and to central finite
 * differences of the unrolled objective, on the quadratic problem and on a least-squares problem
 * whose three hyperparameters scale the lower-level objective, shift it and move y_0; with gradient
 * descent, heavy-ball and Adam dynamics (whose states carry velocities, moments and a step count);
 * the online variant against finite differences of the trajectory's mean objective.
 */
class ForwardHypergradientTest {
  private static final Differentiator D = TestKit.differentiator();

  static HypergradientModule fhg(Map<String, String> options) {
    return new FhgProvider().create(options);
  }

  static HypergradientModule rhg() {
    return TestKit.plugins().hypergradient("rhg").create(Map.of());
  }

  /** The dynamics of a test, by name. */
  private static IterationModule dynamics(String name, double lr) {
    return switch (name) {
      case "gd" -> new GradientDescent(lr);
      case "momentum" -> new HeavyBall(lr, 0.6);
      default -> new Adam(lr, 0.9, 0.99, 1e-3);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"gd", "momentum", "adam"})
  void equalsRhgAndFiniteDifferencesOnTheQuadraticProblem(String dynamicsName) {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 61);
      compareWithRhgAndFiniteDifferences(
          problem,
          problem.initialMeta(62),
          dynamics(dynamicsName, 0.1),
          "quadratic, " + dynamicsName);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gd", "momentum", "adam"})
  void equalsRhgAndFiniteDifferencesWhenXScalesTheLowerObjective(String dynamicsName) {
    try (NDManager manager = NDManager.newBaseManager()) {
      ScaledLeastSquares problem = new ScaledLeastSquares(manager, 6, 71);
      compareWithRhgAndFiniteDifferences(
          problem,
          problem.initialMeta(),
          dynamics(dynamicsName, 0.05),
          "scaled least squares, " + dynamicsName);
    }
  }

  private static void compareWithRhgAndFiniteDifferences(
      BilevelProblem problem, Variables x, IterationModule dynamics, String label) {
    for (int steps : new int[] {0, 1, 7}) {
      Hypergradient forward = fhg(Map.of()).compute(problem, dynamics, x.map(D::leaf), steps, D);
      Hypergradient reverse = rhg().compute(problem, dynamics, x.map(D::leaf), steps, D);
      assertFalse(
          TestKit.requiresGradient(forward.gradient().values()).contains(true),
          "the result carries a graph");
      assertEquals(reverse.upperObjective(), forward.upperObjective(), 1e-12);
      double worstDifference = 0;
      for (String name : x.names()) {
        assertEquals(x.get(name).getShape(), forward.gradient().get(name).getShape(), name);
        double[] a = reverse.gradient().get(name).toDoubleArray();
        double[] b = forward.gradient().get(name).toDoubleArray();
        assertArrayEquals(a, b, 1e-9, label + ", T=" + steps + ", " + name);
        for (int i = 0; i < a.length; i++) {
          worstDifference = Math.max(worstDifference, Math.abs(a[i] - b[i]));
        }
      }
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compareWithUnrolled(
              problem, dynamics, x, forward.gradient(), steps, D, 3);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, label + ", T=" + steps + ": " + check);
      System.out.printf(
          "fhg, %s, T=%d: max |fhg - rhg| %.1e, worst relative error vs FD %.1e%n",
          label, steps, worstDifference, HypergradientCheck.worst(check));
    }
  }

  /** The online variant is the gradient of J(x) = mean_{t=1..T} F(x, y_t); for T = 1 it is fhg. */
  @ParameterizedTest
  @ValueSource(strings = {"gd", "momentum", "adam"})
  void onlineIsTheHypergradientOfTheTrajectorysMeanObjective(String dynamicsName) {
    try (NDManager manager = NDManager.newBaseManager()) {
      ScaledLeastSquares problem = new ScaledLeastSquares(manager, 6, 81);
      Variables x = problem.initialMeta();
      IterationModule dynamics = dynamics(dynamicsName, 0.05);
      int steps = 6;
      Hypergradient online =
          fhg(Map.of(FhgProvider.ONLINE, "true"))
              .compute(problem, dynamics, x.map(D::leaf), steps, D);
      assertEquals(meanObjective(problem, dynamics, x, steps), online.upperObjective(), 1e-12);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              z -> meanObjective(problem, dynamics, z, steps), x, online.gradient(), 4, 1e-6, 5);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
      List<HypergradientCheck.Direction> last =
          HypergradientCheck.compareWithUnrolled(
              problem, dynamics, x, online.gradient(), steps, D, 5);
      assertTrue(
          HypergradientCheck.worst(last) > 1e-3,
          "online should differ from the hypergradient at y_T: " + last);
      System.out.printf(
          "fhg online, %s, T=%d: worst relative error vs FD of the mean objective %.1e%n",
          dynamicsName, steps, HypergradientCheck.worst(check));
      Hypergradient oneOnline =
          fhg(Map.of(FhgProvider.ONLINE, "true")).compute(problem, dynamics, x.map(D::leaf), 1, D);
      Hypergradient oneOffline = fhg(Map.of()).compute(problem, dynamics, x.map(D::leaf), 1, D);
      for (String name : x.names()) {
        assertArrayEquals(
            oneOffline.gradient().get(name).toDoubleArray(),
            oneOnline.gradient().get(name).toDoubleArray(),
            1e-14,
            name);
      }
    }
  }

  @Test
  void refusesMoreHyperparametersThanItsLimit() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.sinusoidMlp(manager, Family.META_FEATURE, 3);
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  fhg(Map.of())
                      .compute(
                          instance.problem(),
                          new GradientDescent(0.1),
                          instance.x().map(D::leaf),
                          2,
                          D));
      assertTrue(
          error.getMessage().contains("more than max-hyperparameters=16")
              && error.getMessage().contains("use rhg"),
          error.getMessage());
      ScaledLeastSquares problem = new ScaledLeastSquares(manager, 4, 91);
      Variables x = problem.initialMeta();
      assertEquals(4, x.values().stream().mapToLong(NDArray::size).sum());
      error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  fhg(Map.of(FhgProvider.MAX_HYPERPARAMETERS, "3"))
                      .compute(problem, new GradientDescent(0.05), x.map(D::leaf), 2, D));
      assertTrue(error.getMessage().contains("x has 4 components"), error.getMessage());
      fhg(Map.of(FhgProvider.MAX_HYPERPARAMETERS, "4"))
          .compute(problem, new GradientDescent(0.05), x.map(D::leaf), 2, D);
    }
  }

  @Test
  void rejectsInvalidOptions() {
    for (Map<String, String> bad :
        List.of(
            Map.of(FhgProvider.ONLINE, "yes"),
            Map.of(FhgProvider.MAX_HYPERPARAMETERS, "0"),
            Map.of(FhgProvider.MAX_HYPERPARAMETERS, "many"))) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> fhg(bad));
      assertTrue(error.getMessage().contains(bad.keySet().iterator().next()), error.getMessage());
    }
  }

  /** 1/T sum_{t=1..T} F(x, y_t) (F(x, y_0) for T = 0), without a graph. */
  private static double meanObjective(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps) {
    Variables y = dynamics.initialize(x, problem, D);
    double sum = 0;
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, D, false);
      sum += problem.upperObjective(x, y).toType(DataType.FLOAT64, false).getDouble();
    }
    return steps == 0
        ? problem.upperObjective(x, y).toType(DataType.FLOAT64, false).getDouble()
        : sum / steps;
  }

  /**
   * A least-squares lower level whose hyperparameters are a log-scale (like a log learning rate, it
   * multiplies the whole data term), a log weight decay and a shift that also moves y_0:
   *
   * <pre>
   *   f(x, y) = exp(a)/2 |A y - b|^2 + exp(c)/2 |y|^2 - y^T P s,   y_0 = y_init + Q s,
   *   F(x, y) = 1/2 |C y - e|^2 + 1/2 |s|^2 / 10,
   * </pre>
   *
   * with {@code x = (a, c, s)}: {@code a} of shape (), {@code c} of shape (1), {@code s} of a given
   * size minus 2.
   */
  static final class ScaledLeastSquares implements BilevelProblem {
    private static final int BASE = 5;
    private final NDManager manager;
    private final int components;
    private final NDArray a;
    private final NDArray b;
    private final NDArray p;
    private final NDArray q;
    private final NDArray c;
    private final NDArray e;
    private final NDArray start;
    private final NDArray half;
    private final NDArray tenth;

    ScaledLeastSquares(NDManager manager, int components, long seed) {
      this.manager = manager;
      this.components = components;
      Random random = new Random(seed);
      int shift = components - 2;
      this.a = gaussian(random, new Shape(7, BASE), 0.4);
      this.b = gaussian(random, new Shape(7), 1);
      this.p = gaussian(random, new Shape(BASE, shift), 0.5);
      this.q = gaussian(random, new Shape(BASE, shift), 0.3);
      this.c = gaussian(random, new Shape(4, BASE), 0.5);
      this.e = gaussian(random, new Shape(4), 1);
      this.start = gaussian(random, new Shape(BASE), 1);
      this.half = manager.full(new Shape(), 0.5f, DataType.FLOAT64);
      this.tenth = half.mul(half).mul(manager.full(new Shape(), 0.4f, DataType.FLOAT64));
    }

    private NDArray gaussian(Random random, Shape shape, double scale) {
      double[] values = new double[Math.toIntExact(shape.size())];
      for (int i = 0; i < values.length; i++) {
        values[i] = scale * random.nextGaussian();
      }
      try (NDArray javaBacked = manager.create(values, shape)) {
        return javaBacked.duplicate();
      }
    }

    Variables initialMeta() {
      Map<String, NDArray> x = new LinkedHashMap<>();
      x.put("log_scale", manager.full(new Shape(), 0.3f, DataType.FLOAT64));
      x.put("log_decay", manager.full(new Shape(1), -1.2f, DataType.FLOAT64));
      x.put("shift", gaussian(new Random(components), new Shape(components - 2), 0.7));
      return Variables.of(x);
    }

    private static NDArray squaredNorm(NDArray v) {
      return v.square().sum();
    }

    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      NDArray base = y.get("y");
      NDArray data = squaredNorm(a.matMul(base).sub(b)).mul(half).mul(x.get("log_scale").exp());
      NDArray decay =
          squaredNorm(base).mul(half).mul(x.get("log_decay").exp().reshape(new Shape()));
      return data.add(decay).sub(base.matMul(p.matMul(x.get("shift"))));
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      NDArray fit = squaredNorm(c.matMul(y.get("y")).sub(e)).mul(half);
      return fit.add(squaredNorm(x.get("shift")).mul(half).mul(tenth));
    }

    @Override
    public Variables initialBase(Variables x) {
      return Variables.of(Map.of("y", q.matMul(x.get("shift")).add(start)));
    }

    @Override
    public NDManager manager() {
      return manager;
    }
  }
}
