package org.boml.plugins.rhg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.GradientAssertions;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RHG's two strategies against each other, edge cases, and a closed form. */
class RhgGradientTest {
  private static final Differentiator D = TestKit.differentiator();

  static HypergradientModule rhg(String strategy) {
    RhgProvider provider = new RhgProvider();
    return provider.create(Options.forProvider(Map.of(RhgProvider.STRATEGY, strategy), provider));
  }

  static List<CheckProblems.Case> problems() {
    return CheckProblems.standardCases(7);
  }

  /**
   * Each strategy matches finite differences (RhgContractTest); here they agree with each other.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void bothStrategiesGiveTheSameHypergradient(CheckProblems.Case problem) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = problem.factory().apply(manager);
      IterationModule dynamics = new GradientDescent(problem.learningRate());
      int steps = 3;
      Hypergradient graph =
          rhg("graph").compute(instance.problem(), dynamics, instance.x().map(D::leaf), steps, D);
      Hypergradient replay =
          rhg("replay").compute(instance.problem(), dynamics, instance.x().map(D::leaf), steps, D);
      GradientAssertions.assertSameGradient(graph.gradient(), replay.gradient(), 1e-10, "");
    }
  }

  /**
   * A step may pass a parameter through as the very same array: replay frees each iterate once it
   * is done with it, but must not free an array a later iterate still holds.
   */
  @Test
  void replayKeepsTheArraysAStepPassesThrough() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 5);
      IterationModule passingThrough =
          CheckProblems.passingThrough(new GradientDescent(0.1), instance.x().names().get(0));
      Hypergradient graph =
          rhg("graph").compute(instance.problem(), passingThrough, instance.x().map(D::leaf), 3, D);
      Hypergradient replay =
          rhg("replay")
              .compute(instance.problem(), passingThrough, instance.x().map(D::leaf), 3, D);
      GradientAssertions.assertSameGradient(graph.gradient(), replay.gradient(), 1e-10, "");
    }
  }

  /** With T = 0 the hypergradient is the plain gradient of F at y_0 = x, a first-order quantity. */
  @Test
  void zeroStepsGiveTheGradientAtTheInitialPoint() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 5);
      Variables x = instance.x().map(D::leaf);
      Hypergradient h =
          rhg("replay").compute(instance.problem(), new GradientDescent(0.1), x, 0, D);
      Variables direct = D.gradient(instance.problem().upperObjective(x, x), x, false);
      for (String name : x.names()) {
        assertArrayEquals(
            direct.get(name).toDoubleArray(), h.gradient().get(name).toDoubleArray(), 1e-12);
      }
    }
  }

  /**
   * On the quadratic problem the unrolled hypergradient converges to the closed form as T grows.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"graph", "replay"})
  void approachesTheClosedFormAsTheHorizonGrows(String strategy) {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, 6, 21);
      Variables x = problem.initialMeta(22);
      double[] exact = problem.exactHypergradient(x).get("x").toDoubleArray();
      double previous = Double.POSITIVE_INFINITY;
      for (int steps : new int[] {5, 20, 80, 400}) {
        NDArray g =
            rhg(strategy)
                .compute(problem, new GradientDescent(0.1), x.map(D::leaf), steps, D)
                .gradient()
                .get("x");
        double error = GradientAssertions.relativeMaxError(exact, g.toDoubleArray());
        assertTrue(
            error < previous,
            "T=" + steps + ": error " + error + " did not shrink from " + previous);
        previous = error;
      }
      assertTrue(previous < 1e-7, "relative error at T=400: " + previous);
    }
  }
}
