package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
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
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
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
      Variables a = heavy.initialize(instance.x(), problem, D);
      Variables b = plain.initialize(instance.x(), problem, D);
      for (int t = 0; t < STEPS; t++) {
        a = heavy.step(t, instance.x(), a, problem, D, false);
        b = plain.step(t, instance.x(), b, problem, D, false);
      }
      assertEquals(b.names(), HeavyBall.parameters(a).names());
      for (String name : b.names()) {
        assertArrayEquals(b.get(name).toDoubleArray(), a.get(name).toDoubleArray(), 0.0, name);
      }
    }
  }

  @Test
  void followsTheHeavyBallRecurrence() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, 51);
      BilevelProblem problem = new VelocityBlind(quadratic);
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
      Variables graph = throughGraph(problem, heavy, instance.x().map(D::leaf));
      Variables replay = byReplay(problem, heavy, instance.x().map(D::leaf));
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              x -> HypergradientCheck.unrolledObjective(problem, heavy, x, STEPS, D),
              instance.x(),
              graph,
              4,
              1e-6,
              19);
      System.out.printf(
          "momentum, %s: worst relative error vs FD %.2e%n",
          testCase, HypergradientCheck.worst(check));
      assertTrue(HypergradientCheck.worst(check) < 1e-6, testCase + ": " + check);
      for (String name : instance.x().names()) {
        assertArrayEquals(
            graph.get(name).toDoubleArray(), replay.get(name).toDoubleArray(), 1e-10, name);
      }
      // the momentum term changes the trajectory: this is not gradient descent's hypergradient
      IterationModule plain = new GradientDescent(testCase.learningRate());
      List<HypergradientCheck.Direction> other =
          HypergradientCheck.compare(
              x -> HypergradientCheck.unrolledObjective(problem, plain, x, STEPS, D),
              instance.x(),
              graph,
              4,
              1e-6,
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
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 2, 3, 1);
      Variables x = problem.initialMeta(2);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> defaults.step(0, x, problem.initialBase(x), problem, D, false));
      assertTrue(e.getMessage().contains("y#velocity"), e.getMessage());
    }
  }

  private static Variables throughGraph(
      BilevelProblem problem, IterationModule dynamics, Variables x) {
    Variables y = dynamics.initialize(x, problem, D);
    for (int t = 0; t < STEPS; t++) {
      y = dynamics.step(t, x, y, problem, D, true);
    }
    return D.gradient(problem.upperObjective(x, y), x, false);
  }

  /** Reverse mode over stored states (parameters and velocities), one step recomputed at a time. */
  private static Variables byReplay(BilevelProblem problem, IterationModule dynamics, Variables x) {
    List<Variables> states = new java.util.ArrayList<>();
    Variables y = dynamics.initialize(x, problem, D).map(NDArray::stopGradient);
    states.add(y);
    for (int t = 0; t < STEPS; t++) {
      y = dynamics.step(t, x, y, problem, D, false);
      states.add(y);
    }
    Variables last = y.map(D::leaf);
    Variables gradient = D.gradient(problem.upperObjective(x, last), x, false);
    Variables adjoint = D.gradient(problem.upperObjective(x, last), last, false);
    for (int t = STEPS - 1; t >= 0; t--) {
      Variables previous = states.get(t).map(D::leaf);
      Variables next = dynamics.step(t, x, previous, problem, D, true);
      gradient = gradient.zip(D.vjp(next, adjoint, x, false), NDArray::add);
      adjoint = D.vjp(next, adjoint, previous, false);
    }
    return gradient.zip(D.vjp(dynamics.initialize(x, problem, D), adjoint, x, false), NDArray::add);
  }

  /** Fails if f ever sees a velocity. */
  private static final class VelocityBlind implements BilevelProblem {
    private final QuadraticProblem inner;

    VelocityBlind(QuadraticProblem inner) {
      this.inner = inner;
    }

    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      assertFalse(
          y.names().stream().anyMatch(n -> n.endsWith(HeavyBall.VELOCITY_SUFFIX)), y.toString());
      return inner.lowerObjective(step, x, y);
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      return inner.upperObjective(x, y);
    }

    @Override
    public Variables initialBase(Variables x) {
      return inner.initialBase(x);
    }

    @Override
    public ai.djl.ndarray.NDManager manager() {
      return inner.manager();
    }
  }
}
