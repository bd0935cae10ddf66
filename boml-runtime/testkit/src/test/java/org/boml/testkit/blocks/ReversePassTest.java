package org.boml.testkit.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.ReversePass;
import org.boml.api.blocks.Trajectory;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reverse pass over the window [k, T) in float64: the exact hypergradient for k = 0 and the
 * truncated one for k > 0, against closed forms in both families (through Psi_0 for
 * meta-initialization), and against central finite differences of the unrolled objective on a small
 * network.
 */
class ReversePassTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final double LR = 0.2;
  private static final int STEPS = 6;

  @ParameterizedTest(name = "meta-initialization {0}")
  @ValueSource(booleans = {false, true})
  void overEveryWindowMatchesTheClosedForm(boolean metaInitialization) {
    IterationModule gd = TestKit.gradientDescent(LR);
    for (int first : new int[] {0, 2, 5}) {
      try (NDManager manager = NDManager.newBaseManager()) {
        DiagonalProblem problem = new DiagonalProblem(manager, D, metaInitialization);
        Variables x = problem.meta().map(D::leaf);
        Trajectory trajectory = Trajectory.run(problem, gd, x, STEPS, first, D);
        Hypergradient h = ReversePass.hypergradient(problem, gd, x, trajectory, D);
        assertArrayEquals(
            problem.hypergradient(STEPS, first, LR),
            h.gradient().get("x").toDoubleArray(),
            1e-13,
            "window [" + first + ", " + STEPS + ")");
        assertEquals(
            DiagonalProblem.upperObjective(problem.iterate(STEPS, LR)), h.upperObjective(), 1e-14);
        assertTrue(
            TestKit.requiresGradient(h.gradient().values()).stream().noneMatch(b -> b),
            "the result carries a graph");
        assertThrows(IllegalStateException.class, trajectory::last, "the pass releases");
      }
    }
  }

  /** Through a network, where no closed form exists: k = 0 is the unrolled hypergradient. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Family.class)
  void overTheWholeTrajectoryMatchesFiniteDifferences(Family family) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = CheckProblems.sinusoidMlp(manager, family, 5);
      IterationModule gd = TestKit.gradientDescent(0.1);
      Variables x = instance.x().map(D::leaf);
      Hypergradient h =
          ReversePass.hypergradient(
              instance.problem(), gd, x, Trajectory.run(instance.problem(), gd, x, 3, 0, D), D);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              point -> HypergradientCheck.unrolledObjective(instance.problem(), gd, point, 3, D),
              instance.x(),
              h.gradient(),
              4,
              1e-6,
              5);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
    }
  }
}
