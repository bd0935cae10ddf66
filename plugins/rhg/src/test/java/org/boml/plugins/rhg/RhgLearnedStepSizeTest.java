package org.boml.plugins.rhg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The step size as a meta-parameter: gd (and momentum, adam) with {@code lr-variable=log_lr} read
 * lr = exp(x[log_lr]); rhg's hypergradient with respect to log_lr (both strategies) matches a
 * central finite difference in log_lr alone, and the whole hypergradient matches finite differences
 * along random directions, on the quadratic problem.
 */
class RhgLearnedStepSizeTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int STEPS = 10;

  @ParameterizedTest
  @ValueSource(strings = {"gd", "momentum", "adam"})
  void theHypergradientWithRespectToTheLogStepSizeMatchesFiniteDifferences(String dynamicsName) {
    IterationModule dynamics =
        TestKit.plugins().iteration(dynamicsName).create(Map.of("lr-variable", "log_lr"));
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 37);
      double logRate = Math.log(0.08);
      Variables x =
          problem
              .initialMeta(38)
              .merge(
                  Variables.of(Map.of("log_lr", D.constant(manager, logRate, DataType.FLOAT64))));
      Hypergradient graph =
          RhgGradientTest.rhg("graph").compute(problem, dynamics, x.map(D::leaf), STEPS, D);
      Hypergradient replay =
          RhgGradientTest.rhg("replay").compute(problem, dynamics, x.map(D::leaf), STEPS, D);
      double analytic = graph.gradient().get("log_lr").getDouble();
      assertEquals(analytic, replay.gradient().get("log_lr").getDouble(), 1e-10);
      assertArrayEquals(
          graph.gradient().get("x").toDoubleArray(),
          replay.gradient().get("x").toDoubleArray(),
          1e-10);
      double h = 1e-6;
      double numeric =
          (objective(problem, dynamics, x, logRate + h, manager)
                  - objective(problem, dynamics, x, logRate - h, manager))
              / (2 * h);
      double relative = Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), 1e-12);
      System.out.printf(
          "rhg, %s with lr=exp(x[log_lr]): dF/dlog_lr %.8f, central difference %.8f, relative error %.1e%n",
          dynamicsName, analytic, numeric, relative);
      assertTrue(Math.abs(analytic) > 1e-2, "log_lr matters: " + analytic);
      assertTrue(relative < 1e-6, analytic + " vs " + numeric);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              z -> HypergradientCheck.unrolledObjective(problem, dynamics, z, STEPS, D),
              x,
              graph.gradient(),
              4,
              1e-6,
              39);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
    }
  }

  private static double objective(
      QuadraticProblem problem,
      IterationModule dynamics,
      Variables x,
      double logRate,
      NDManager manager) {
    Variables moved =
        x.select(name -> !name.equals("log_lr"))
            .merge(Variables.of(Map.of("log_lr", D.constant(manager, logRate, DataType.FLOAT64))));
    return HypergradientCheck.unrolledObjective(problem, dynamics, moved, STEPS, D);
  }
}
