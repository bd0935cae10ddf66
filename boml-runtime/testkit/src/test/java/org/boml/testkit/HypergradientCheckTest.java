package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
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
}
