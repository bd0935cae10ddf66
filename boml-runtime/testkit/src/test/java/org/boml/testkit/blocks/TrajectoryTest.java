package org.boml.testkit.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.blocks.Trajectory;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trajectory keeps its window, and its iterates are the closed-form ones of gradient descent.
 */
class TrajectoryTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final double LR = 0.2;
  private static final IterationModule GD = TestKit.gradientDescent(LR);

  @ParameterizedTest(name = "meta-initialization {0}")
  @ValueSource(booleans = {false, true})
  void keepsTheWindowWithTheClosedFormIterates(boolean metaInitialization) {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiagonalProblem problem = new DiagonalProblem(manager, D, metaInitialization);
      Trajectory trajectory = Trajectory.run(problem, GD, problem.meta(), 6, 3, D);
      assertEquals(6, trajectory.steps());
      assertEquals(3, trajectory.first());
      for (int t = 3; t <= 6; t++) {
        assertArrayEquals(
            problem.iterate(t, LR),
            trajectory.iterate(t).get("y").toDoubleArray(),
            1e-14,
            "y_" + t);
      }
      assertEquals(trajectory.iterate(6), trajectory.last());
      assertTrue(
          TestKit.requiresGradient(trajectory.last().values()).stream().noneMatch(b -> b),
          "the iterates carry no graph");
      IllegalArgumentException outside =
          assertThrows(IllegalArgumentException.class, () -> trajectory.iterate(2));
      assertTrue(outside.getMessage().contains("[3, 6]"), outside.getMessage());
      trajectory.release(6);
      trajectory.release(6);
      assertThrows(IllegalStateException.class, trajectory::last);
      assertArrayEquals(
          problem.iterate(5, LR), trajectory.iterate(5).get("y").toDoubleArray(), 1e-14);
    }
  }

  @Test
  void refusesAWindowOutsideTheSteps() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiagonalProblem problem = new DiagonalProblem(manager, D, false);
      assertThrows(
          IllegalArgumentException.class,
          () -> Trajectory.run(problem, GD, problem.meta(), -1, 0, D));
      for (int first : new int[] {-1, 4}) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> Trajectory.run(problem, GD, problem.meta(), 3, first, D));
        assertTrue(e.getMessage().contains("[0, 3]"), e.getMessage());
      }
      Trajectory none = Trajectory.run(problem, GD, problem.meta(), 0, 0, D);
      assertArrayEquals(problem.iterate(0, LR), none.last().get("y").toDoubleArray(), 1e-14);
    }
  }

  /**
   * A step that passes its state through as the very same array: closing the iterates before the
   * window, and releasing the last one, leaves the array that the earlier kept iterates hold.
   */
  @Test
  void keepsTheArraysAStepPassesThrough() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiagonalProblem problem = new DiagonalProblem(manager, D, true);
      IterationModule frozen = CheckProblems.passingThrough(GD, "y");
      Trajectory trajectory = Trajectory.run(problem, frozen, problem.meta(), 4, 2, D);
      trajectory.release(4);
      trajectory.release(3);
      assertArrayEquals(problem.iterate(0, LR), trajectory.iterate(2).get("y").toDoubleArray(), 0);
    }
  }
}
