package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.runtime.problem.Family;
import org.junit.jupiter.api.Test;

/**
 * The check the contracts and {@code boml check-plugin} run can fail: the exact unrolled
 * hypergradient passes it, the same gradient scaled by 1.01 or with the lower-level Jacobian
 * dropped (first order) does not.
 */
class HypergradientCheckTest {
  private static final Differentiator D = TestKit.differentiator();

  private static double worst(HypergradientModule module) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 4);
      return HypergradientCheck.worstOfModule(
          module, instance.problem(), TestKit.gradientDescent(0.02), instance.x(), 3, D, 1);
    }
  }

  @Test
  void theExactHypergradientPasses() {
    double error = worst(HypergradientCheck.unrolled());
    assertTrue(error < 1e-6, "relative error " + error);
  }

  @Test
  void aGradientOnePercentOffFails() {
    HypergradientModule exact = HypergradientCheck.unrolled();
    double error =
        worst(
            (problem, dynamics, x, steps, d) -> {
              Hypergradient h = exact.compute(problem, dynamics, x, steps, d);
              NDManager manager = problem.manager();
              return new Hypergradient(
                  h.gradient().map(g -> g.mul(d.constant(manager, 1.01, g.getDataType()))),
                  h.upperObjective());
            });
    assertTrue(error > 5e-3, "relative error " + error);
  }

  @Test
  void theGradientAtTheInitialPointFails() {
    double error =
        worst(
            (problem, dynamics, x, steps, d) ->
                HypergradientCheck.unrolled().compute(problem, dynamics, x, 0, d));
    assertTrue(error > 1e-2, "relative error " + error);
  }

  /**
   * The replay over stored states carries the velocity's adjoint back: it equals the kept graph's
   * hypergradient, and both pass the comparison with the unrolled objective, which the
   * hypergradient of one step fewer fails.
   */
  @Test
  void theReplayOfDynamicsWithStateEqualsTheKeptGraph() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 61);
      Variables x = problem.initialMeta(62);
      IterationModule heavy = new HeavyBall(0.1, 0.8);
      Variables graph = HypergradientCheck.unrolledHypergradient(problem, heavy, x, 4, D);
      Variables replay = HypergradientCheck.replayedHypergradient(problem, heavy, x, 4, D);
      GradientAssertions.assertSameGradient(graph, replay, 1e-12, "");
      double error =
          HypergradientCheck.worst(
              HypergradientCheck.compareWithUnrolled(problem, heavy, x, replay, 4, D, 1));
      assertTrue(error < 1e-6, "relative error " + error);
      Variables shorter = HypergradientCheck.replayedHypergradient(problem, heavy, x, 3, D);
      double off =
          HypergradientCheck.worst(
              HypergradientCheck.compareWithUnrolled(problem, heavy, x, shorter, 4, D, 1));
      assertTrue(off > 1e-2, "relative error " + off);
    }
  }
}
