package org.boml.plugins.hoag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * HOAG's warm start in float64 on the quadratic problem, solved at two consecutive outer steps as
 * hyperparameter optimization does: from the first step's solution, conjugate gradient reaches the
 * tolerance on the second step in fewer Hessian-vector products than from zero, and the
 * hypergradient is the cold start's to the tolerance; a remembered solution of another shape is
 * ignored.
 */
class WarmStartTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int BASE = 30;
  private static final int STEPS = 400;
  private static final double TOLERANCE = 1e-6;
  private static final GradientDescent DYNAMICS = new GradientDescent(0.1);

  static ImplicitHypergradient hoag(boolean warmStart) {
    return (ImplicitHypergradient)
        new HoagProvider()
            .create(
                Map.of(
                    HoagProvider.CG_ITERATIONS, "200",
                    HoagProvider.TOLERANCE, Double.toString(TOLERANCE),
                    HoagProvider.WARM_START, Boolean.toString(warmStart)));
  }

  @Test
  void theSecondOuterStepNeedsFewerProductsAndGivesTheSameHypergradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 41);
      ImplicitHypergradient warm = hoag(true);
      ImplicitHypergradient cold = hoag(false);
      Variables x0 = problem.initialMeta(42);
      ImplicitHypergradient.Outcome first =
          warm.computeWithSolve(problem, DYNAMICS, x0.map(D::leaf), STEPS, D);
      ImplicitHypergradient.Outcome firstCold =
          cold.computeWithSolve(problem, DYNAMICS, x0.map(D::leaf), STEPS, D);
      // nothing to start from yet: the same products and the same numbers as a cold start
      assertEquals(firstCold.solve().iterations(), first.solve().iterations());
      assertEquals(
          0, maxDifference(firstCold.hypergradient().gradient(), first.hypergradient().gradient()));

      // one outer step of gradient descent on x
      NDArray rate = D.constant(manager, 5e-4, DataType.FLOAT64);
      Variables x1 = x0.zip(first.hypergradient().gradient(), (x, g) -> x.sub(g.mul(rate)));
      ImplicitHypergradient.Outcome second =
          warm.computeWithSolve(problem, DYNAMICS, x1.map(D::leaf), STEPS, D);
      ImplicitHypergradient.Outcome secondCold =
          cold.computeWithSolve(problem, DYNAMICS, x1.map(D::leaf), STEPS, D);
      Variables exact = problem.exactHypergradient(x1);
      double scale = maxDifference(exact, exact.map(NDArray::zerosLike));
      double apart =
          maxDifference(secondCold.hypergradient().gradient(), second.hypergradient().gradient());
      System.out.printf(
          "hoag second outer step, tolerance %.0e: %d products warm, %d cold; max difference %.2e"
              + " (warm vs closed form %.2e, cold vs closed form %.2e), scale %.2e%n",
          TOLERANCE,
          second.solve().iterations(),
          secondCold.solve().iterations(),
          apart,
          maxDifference(exact, second.hypergradient().gradient()),
          maxDifference(exact, secondCold.hypergradient().gradient()),
          scale);
      assertTrue(second.solve().relativeResidual() <= TOLERANCE, second.solve().toString());
      assertTrue(
          second.solve().iterations() < secondCold.solve().iterations(),
          "warm " + second.solve() + " vs cold " + secondCold.solve());

      assertTrue(
          apart <= 1e-6 * scale, "warm and cold differ by " + apart + " (scale " + scale + ")");
      assertTrue(
          maxDifference(exact, second.hypergradient().gradient()) <= 1e-6 * scale,
          "the warm-started hypergradient is off the closed form");
    }
  }

  @Test
  void aRememberedSolutionOfAnotherShapeIsIgnored() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ImplicitHypergradient warm = hoag(true);
      QuadraticProblem small = new QuadraticProblem(manager, 3, 10, 43);
      warm.computeWithSolve(small, DYNAMICS, small.initialMeta(44).map(D::leaf), STEPS, D);
      QuadraticProblem large = new QuadraticProblem(manager, 4, BASE, 45);
      Variables x = large.initialMeta(46);
      ImplicitHypergradient.Outcome afterOther =
          warm.computeWithSolve(large, DYNAMICS, x.map(D::leaf), STEPS, D);
      ImplicitHypergradient.Outcome fresh =
          hoag(true).computeWithSolve(large, DYNAMICS, x.map(D::leaf), STEPS, D);
      assertEquals(fresh.solve().iterations(), afterOther.solve().iterations());
      assertEquals(
          0,
          maxDifference(fresh.hypergradient().gradient(), afterOther.hypergradient().gradient()));
    }
  }

  @Test
  void theOptionTakesOnlyTrueOrFalse() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HoagProvider().create(Map.of(HoagProvider.WARM_START, "yes")));
    assertTrue(e.getMessage().contains("'warm-start'"), e.getMessage());
  }

  private static double maxDifference(Variables a, Variables b) {
    double worst = 0;
    for (String name : a.names()) {
      double[] u = a.get(name).toDoubleArray();
      double[] v = b.get(name).toDoubleArray();
      for (int i = 0; i < u.length; i++) {
        worst = Math.max(worst, Math.abs(u[i] - v[i]));
      }
    }
    return worst;
  }
}
