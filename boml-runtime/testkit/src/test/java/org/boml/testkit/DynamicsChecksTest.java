package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.runtime.problem.Family;
import org.junit.jupiter.api.Test;

/**
 * The dynamics checks pass what they should and fail otherwise: heavy ball without momentum follows
 * gradient descent's trajectory and with momentum does not; heavy ball refuses a step without its
 * velocity, gradient descent (no state of its own) takes it, and a refusal that does not mention
 * what is asked for fails; reverse mode through a graph that is not the step's fails.
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

  /**
   * Heavy ball is differentiated through exactly; gradient descent whose graph leaves out the
   * step's own derivative (y + stop(step(y) - y): the right values, an identity Jacobian) is not,
   * and the check fails.
   */
  @Test
  void exactAndReplayableOnlyWhenTheGraphIsTheSteps() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 73);
      DynamicsChecks.assertExactAndReplayable(
          "heavy ball", problem, new HeavyBall(0.1, 0.8), problem.initialMeta(74), 4, D, 1e-12, 1);
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 4);
      IterationModule descent = new GradientDescent(0.02);
      IterationModule identityJacobian =
          (t, x, y, p, d, differentiable) ->
              y.zip(
                  descent.step(t, x, y, p, d, differentiable),
                  (before, after) -> before.add(after.sub(before).stopGradient()));
      assertThrows(
          AssertionError.class,
          () ->
              DynamicsChecks.assertExactAndReplayable(
                  "identity Jacobian",
                  instance.problem(),
                  identityJacobian,
                  instance.x(),
                  3,
                  D,
                  1e-12,
                  1));
    }
  }
}
