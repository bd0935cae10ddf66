package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.junit.jupiter.api.Test;

/**
 * The dynamics checks pass what they should and fail otherwise: heavy ball without momentum follows
 * gradient descent's trajectory and with momentum does not; heavy ball refuses a step without its
 * velocity, gradient descent (no state of its own) takes it, and a refusal that does not mention
 * what is asked for fails.
 */
class DynamicsChecksTest {
  private static final Differentiator D = TestKit.differentiator();

  @Test
  void theSameTrajectoryOnlyWhenTheStepsAgree() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 71);
      Variables x = problem.initialMeta(72);
      Variables last =
          DynamicsChecks.assertSameTrajectory(
              new GradientDescent(0.1), new HeavyBall(0.1, 0), problem, x, 3, D, 0.0);
      assertEquals(List.of("y", "y" + HeavyBall.VELOCITY_SUFFIX), last.names());
      assertThrows(
          AssertionError.class,
          () ->
              DynamicsChecks.assertSameTrajectory(
                  new GradientDescent(0.1), new HeavyBall(0.1, 0.5), problem, x, 3, D, 0.0));
    }
  }

  @Test
  void aStepWithoutStateIsRefusedOnlyByDynamicsWithState() {
    DynamicsChecks.assertRefusesAStepWithoutItsState(
        new HeavyBall(0.1, 0.5), HeavyBall.VELOCITY_SUFFIX);
    assertThrows(
        AssertionError.class,
        () ->
            DynamicsChecks.assertRefusesAStepWithoutItsState(
                new HeavyBall(0.1, 0.5), "something else"));
    assertThrows(
        AssertionError.class,
        () -> DynamicsChecks.assertRefusesAStepWithoutItsState(new GradientDescent(0.1), ""));
  }
}
