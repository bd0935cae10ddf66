package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.plugins.basicdynamics.HeavyBallProvider;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.DynamicsChecks;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.StateBlindProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Heavy-ball dynamics in float64: mu = 0 is gradient descent bit for bit; three steps follow the
 * stated recurrence; the velocity never reaches f; the hypergradient through the unrolled steps
 * (graph kept, and by a replay that carries the velocity's adjoint) matches central finite
 * differences of the unrolled objective.
 */
class HeavyBallTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final int STEPS = 4;

  static List<CheckProblems.Case> problems() {
    return CheckProblems.standardCases(17);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void withoutMomentumItIsGradientDescent(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule heavy = new HeavyBall(testCase.learningRate(), 0);
      IterationModule plain = new GradientDescent(testCase.learningRate());
      Variables a =
          DynamicsChecks.assertSameTrajectory(plain, heavy, problem, instance.x(), STEPS, D, 0.0);
      assertEquals(
          plain.initialize(instance.x(), problem, D).names(), HeavyBall.parameters(a).names());
    }
  }

  @Test
  void followsTheHeavyBallRecurrence() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, 51);
      BilevelProblem problem =
          new StateBlindProblem(quadratic, name -> name.endsWith(HeavyBall.VELOCITY_SUFFIX));
      Variables x = quadratic.initialMeta(52);
      double lr = 0.1;
      double mu = 0.8;
      HeavyBall heavy = new HeavyBall(lr, mu);
      Variables state = heavy.initialize(x, problem, D);
      assertEquals(List.of("y", "y#velocity"), state.names());
      double[] y = state.get("y").toDoubleArray();
      double[] v = new double[y.length];
      for (int t = 0; t < 3; t++) {
        Variables leaf = Variables.of(Map.of("y", D.leaf(manager.create(y))));
        double[] g =
            D.gradient(quadratic.lowerObjective(t, x, leaf), leaf, false).get("y").toDoubleArray();
        for (int i = 0; i < y.length; i++) {
          v[i] = mu * v[i] + g[i];
          y[i] -= lr * v[i];
        }
        state = heavy.step(t, x, state, problem, D, false);
        assertArrayEquals(y, state.get("y").toDoubleArray(), 1e-13, "y at step " + t);
        assertArrayEquals(
            v, state.get("y#velocity").toDoubleArray(), 1e-13, "velocity at step " + t);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void hypergradientThroughMomentumMatchesFiniteDifferences(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule heavy = new HeavyBall(testCase.learningRate(), 0.7);
      Variables graph =
          DynamicsChecks.assertExactAndReplayable(
              "momentum, " + testCase, problem, heavy, instance.x(), STEPS, D, 1e-10, 19);
      // the momentum term changes the trajectory: this is not gradient descent's hypergradient
      List<HypergradientCheck.Direction> other =
          HypergradientCheck.compareWithUnrolled(
              problem,
              new GradientDescent(testCase.learningRate()),
              instance.x(),
              graph,
              STEPS,
              D,
              19);
      assertTrue(HypergradientCheck.worst(other) > 1e-4, other.toString());
    }
  }

  @Test
  void rejectsInvalidOptionsAndStatesWithoutVelocity() {
    HeavyBallProvider provider = new HeavyBallProvider();
    for (String bad : new String[] {"1", "-0.1", "1.5", "fast"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> provider.create(Map.of(HeavyBallProvider.MOMENTUM, bad)));
      assertTrue(e.getMessage().contains("'momentum'"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> provider.create(Map.of(HeavyBallProvider.LEARNING_RATE, "0")));
    HeavyBall defaults = (HeavyBall) provider.create(Map.of());
    assertEquals(0.01, defaults.learningRate());
    assertEquals(0.9, defaults.momentum());
    DynamicsChecks.assertRefusesAStepWithoutItsState(defaults, HeavyBall.VELOCITY_SUFFIX);
  }
}
