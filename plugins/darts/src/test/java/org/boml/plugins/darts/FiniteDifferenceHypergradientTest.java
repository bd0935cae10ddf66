package org.boml.plugins.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.boml.runtime.problem.Family;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * DARTS in float64, in the meta-feature family: against the exact one-step hypergradient (rhg with
 * T = 1) its error is O(eps^2) where grad_x f is not quadratic in y (cross-entropy head of the conv
 * net: halving epsilon-scale divides it by about 4) and vanishes where it is (the sinusoid MLP's
 * squared loss with a linear head); for T > 1 it is the gradient with y_{T-1} frozen.
 */
class FiniteDifferenceHypergradientTest {
  private static final Differentiator D = TestKit.differentiator();

  static HypergradientModule darts(double learningRate, double epsilonScale) {
    return new DartsProvider()
        .create(
            Map.of(
                DartsProvider.LEARNING_RATE, Double.toString(learningRate),
                DartsProvider.EPSILON_SCALE, Double.toString(epsilonScale)));
  }

  static HypergradientModule rhg() {
    return TestKit.plugins().hypergradient("rhg").create(Map.of());
  }

  @Test
  void errorIsSecondOrderInEpsilon() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.tinyConvNet(manager, Family.META_FEATURE, 5);
      double learningRate = 0.5;
      IterationModule dynamics = new GradientDescent(learningRate);
      Variables exact =
          rhg().compute(instance.problem(), dynamics, instance.x().map(D::leaf), 1, D).gradient();
      double[] scales = {0.04, 0.02, 0.01, 0.005};
      double[] errors = new double[scales.length];
      StringBuilder report = new StringBuilder();
      for (int i = 0; i < scales.length; i++) {
        Hypergradient h =
            darts(learningRate, scales[i])
                .compute(instance.problem(), dynamics, instance.x().map(D::leaf), 1, D);
        errors[i] = relativeDistance(exact, h.gradient());
        report.append(String.format(" scale %.3f: %.3e;", scales[i], errors[i]));
      }
      System.out.println("darts vs one-step rhg, tiny conv net (cross-entropy head):" + report);
      for (int i = 1; i < scales.length; i++) {
        double ratio = errors[i - 1] / errors[i];
        assertTrue(
            ratio > 3.6 && ratio < 4.4,
            "halving epsilon-scale should divide the error by ~4:" + report);
      }
      assertTrue(errors[2] < 1e-3, "error at the default scale:" + report);
      // the learning rate matters: a wrong lr gives a visibly wrong hypergradient
      Hypergradient wrong =
          darts(learningRate / 2, 0.01)
              .compute(instance.problem(), dynamics, instance.x().map(D::leaf), 1, D);
      assertTrue(relativeDistance(exact, wrong.gradient()) > 100 * errors[2]);
    }
  }

  /**
   * With a squared loss and a linear head, grad_x f is quadratic in y: the central difference is
   * exact.
   */
  @Test
  void isExactWhenTheLossIsQuadraticInTheHead() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.sinusoidMlp(manager, Family.META_FEATURE, 5);
      IterationModule dynamics = new GradientDescent(0.05);
      Variables exact =
          rhg().compute(instance.problem(), dynamics, instance.x().map(D::leaf), 1, D).gradient();
      Hypergradient h =
          darts(0.05, 0.01).compute(instance.problem(), dynamics, instance.x().map(D::leaf), 1, D);
      double error = relativeDistance(exact, h.gradient());
      System.out.printf("darts vs one-step rhg, sinusoid MLP (squared loss): %.2e%n", error);
      assertTrue(error < 1e-9, "relative distance " + error);
      Hypergradient wrong =
          darts(0.025, 0.01).compute(instance.problem(), dynamics, instance.x().map(D::leaf), 1, D);
      double wrongError = relativeDistance(exact, wrong.gradient());
      System.out.printf("  (with lr off by 2x: %.2e)%n", wrongError);
      assertTrue(wrongError > 1e-2, "the second-order term should matter: " + wrongError);
    }
  }

  /** For T > 1: the gradient of x -> F(x, Psi_{T-1}(x, y_{T-1})) with y_{T-1} frozen. */
  @Test
  void afterSeveralStepsDifferentiatesTheLastOne() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.sinusoidMlp(manager, Family.META_FEATURE, 6);
      BilevelProblem problem = instance.problem();
      IterationModule dynamics = new GradientDescent(0.05);
      int steps = 3;
      Hypergradient h =
          darts(0.05, 0.01).compute(problem, dynamics, instance.x().map(D::leaf), steps, D);
      assertFalse(
          TestKit.requiresGradient(h.gradient().values()).contains(true),
          "the result carries a graph");
      Variables frozen = dynamics.initialize(instance.x(), problem, D);
      for (int t = 0; t < steps - 1; t++) {
        frozen = dynamics.step(t, instance.x(), frozen, problem, D, false);
      }
      Variables start = frozen;
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              x ->
                  problem
                      .upperObjective(x, dynamics.step(steps - 1, x, start, problem, D, false))
                      .toType(DataType.FLOAT64, false)
                      .getDouble(),
              instance.x(),
              h.gradient(),
              4,
              1e-6,
              7);
      System.out.printf(
          "darts, T=%d, vs FD with y_{T-1} frozen: %.2e%n", steps, HypergradientCheck.worst(check));
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
      List<HypergradientCheck.Direction> unrolled =
          HypergradientCheck.compareWithUnrolled(
              problem, dynamics, instance.x(), h.gradient(), steps, D, 7);
      assertTrue(
          HypergradientCheck.worst(unrolled) > 1e-4, "earlier steps are ignored: " + unrolled);
    }
  }

  @Test
  void rejectsInvalidOptionsAndZeroSteps() {
    for (String key : new String[] {DartsProvider.LEARNING_RATE, DartsProvider.EPSILON_SCALE}) {
      for (String bad : new String[] {"0", "-0.01", "small", "Infinity"}) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> new DartsProvider().create(Map.of(key, bad)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.sinusoidMlp(manager, Family.META_FEATURE, 5);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new DartsProvider()
                      .create(Map.of())
                      .compute(
                          instance.problem(),
                          new GradientDescent(0.01),
                          instance.x().map(D::leaf),
                          0,
                          D));
      assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
    assertEquals(
        List.of("lr", "epsilon-scale"),
        new DartsProvider().options().stream().map(o -> o.name()).toList());
  }

  private static double relativeDistance(Variables exact, Variables approximate) {
    double squares = 0;
    double norm = 0;
    for (String name : exact.names()) {
      double[] a = exact.get(name).toDoubleArray();
      double[] b = approximate.get(name).toDoubleArray();
      for (int i = 0; i < a.length; i++) {
        squares += (a[i] - b[i]) * (a[i] - b[i]);
        norm += a[i] * a[i];
      }
    }
    return Math.sqrt(squares / norm);
  }
}
