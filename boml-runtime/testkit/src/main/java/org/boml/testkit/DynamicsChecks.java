package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * Assertions on the steps of dynamics plugins that the tests of several of them make: that dynamics
 * reduce to others (momentum 0, aggregation weight 0 are gradient descent, bit for bit), that
 * reverse mode through their steps is exact and can be replayed, and that dynamics with state of
 * their own refuse to step from bare base parameters.
 */
public final class DynamicsChecks {
  private DynamicsChecks() {}

  /**
   * Asserts that two dynamics follow the same trajectory: after every one of {@code T} steps
   * without a graph, each variable of the expected state equals the actual one's to a tolerance
   * ({@code 0} for bit for bit; the actual state may hold more, such as a velocity).
   *
   * @param expected the reference dynamics, e.g. gradient descent
   * @param actual the dynamics under test
   * @param problem the problem
   * @param x the meta-parameters
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @param tolerance the largest absolute difference of any component
   * @return the actual dynamics' state after the last step
   */
  public static Variables assertSameTrajectory(
      IterationModule expected,
      IterationModule actual,
      BilevelProblem problem,
      Variables x,
      int steps,
      Differentiator differentiator,
      double tolerance) {
    Variables a = actual.initialize(x, problem, differentiator);
    Variables b = expected.initialize(x, problem, differentiator);
    for (int t = 0; t < steps; t++) {
      a = actual.step(t, x, a, problem, differentiator, false);
      b = expected.step(t, x, b, problem, differentiator, false);
      for (String name : b.names()) {
        assertTrue(a.names().contains(name), name + " missing at step " + t + ": " + a.names());
        assertArrayEquals(
            b.get(name).toDoubleArray(),
            a.get(name).toDoubleArray(),
            tolerance,
            name + " at step " + t);
      }
    }
    return a;
  }

  /**
   * Asserts that reverse mode through {@code T} of the dynamics' steps is exact and can be
   * replayed: the hypergradient through the kept graph ({@link
   * HypergradientCheck#unrolledHypergradient}) matches central finite differences of the unrolled
   * objective ({@link HypergradientCheck#compareWithUnrolled}) to 1e-6, and the replay over stored
   * states ({@link HypergradientCheck#replayedHypergradient}), which carries the adjoint of the
   * dynamics' own state, agrees with it. Prints the worst relative error.
   *
   * @param label names the case in the message and the printed line
   * @param problem the problem, float64
   * @param dynamics the dynamics
   * @param x the meta-parameters, float64
   * @param steps {@code T}
   * @param differentiator the autodiff
   * @param agreement the largest absolute difference of the replay from the kept graph
   * @param seed fixes the finite-difference directions
   * @return the hypergradient through the kept graph
   */
  public static Variables assertExactAndReplayable(
      String label,
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator,
      double agreement,
      long seed) {
    Variables graph =
        HypergradientCheck.unrolledHypergradient(problem, dynamics, x, steps, differentiator);
    List<HypergradientCheck.Direction> check =
        HypergradientCheck.compareWithUnrolled(
            problem, dynamics, x, graph, steps, differentiator, seed);
    double worst = HypergradientCheck.worst(check);
    System.out.printf("%s: worst relative error vs FD %.2e%n", label, worst);
    assertTrue(worst < 1e-6, label + ": " + check);
    GradientAssertions.assertSameGradient(
        graph,
        HypergradientCheck.replayedHypergradient(problem, dynamics, x, steps, differentiator),
        agreement,
        ", " + label + ", replay against the kept graph");
    return graph;
  }

  /**
   * Asserts that dynamics with state of their own refuse a step from the base parameters alone (a
   * state their {@code initialize} did not make), on a small {@link QuadraticProblem}.
   *
   * @param dynamics the dynamics
   * @param mentioned what the refusal's message must contain, e.g. the missing variable's name
   */
  public static void assertRefusesAStepWithoutItsState(IterationModule dynamics, String mentioned) {
    Differentiator d = TestKit.differentiator();
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 2, 3, 1);
      Variables x = problem.initialMeta(2);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> dynamics.step(0, x, problem.initialBase(x), problem, d, false));
      assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }
  }
}
