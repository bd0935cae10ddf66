package org.boml.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.testkit.GradientAssertions;
import org.boml.testkit.PenalizedQuadraticProblem;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The contract of an implicit hypergradient plugin, one that solves for the hypergradient at the
 * lower-level optimum instead of differentiating through the steps (conjugate gradient, a Neumann
 * series): in float64, after {@value #STEPS} steps of gradient descent with step size 0.1 on a
 * {@link QuadraticProblem} (x of size 4, y of size {@value #BASE}), what it computes matches the
 * closed-form hypergradient to 1e-6 and carries no graph; the direct term {@code partial_x F}
 * counts ({@link PenalizedQuadraticProblem}); and zero inner steps are refused with a message that
 * asks for at least one. {@code boml check-plugin} compares with the unrolled {@code T}-step
 * objective, which an implicit method does not approximate; this closed form is the check that fits
 * it. A plugin's test extends it and returns its module, configured to converge:
 *
 * <pre>{@code
 * class HoagContractTest extends ImplicitHypergradientContract {
 *   protected HypergradientModule converged() { return new HoagProvider().create(Map.of()); }
 * }
 * }</pre>
 */
public abstract class ImplicitHypergradientContract {
  /** The number of lower-level steps, enough for {@code y_T} to reach {@code y*} in float64. */
  public static final int STEPS = 400;

  /** The size of {@code y}. */
  public static final int BASE = 20;

  /** The largest relative error in the max norm that passes. */
  private static final double TOLERANCE = 1e-6;

  private final Differentiator d = TestKit.differentiator();

  /** For subclasses. */
  protected ImplicitHypergradientContract() {}

  /**
   * The module under test, with options that make it accurate to well below 1e-6 on the problem.
   *
   * @return a new module
   */
  protected abstract HypergradientModule converged();

  /**
   * The lower-level dynamics the checks run: gradient descent with step size 0.1, which converges
   * on every {@link QuadraticProblem}.
   *
   * @return the dynamics
   */
  protected static IterationModule dynamics() {
    return TestKit.gradientDescent(0.1);
  }

  /** At a converged lower level the result matches the closed form and carries no graph. */
  @Test
  public void matchesTheClosedFormAtAConvergedLowerLevel() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 4, BASE, 21);
      Variables x = problem.initialMeta(22);
      Hypergradient h = converged().compute(problem, dynamics(), x.map(d::leaf), STEPS, d);
      assertFalse(
          TestKit.requiresGradient(h.gradient().values()).contains(true),
          "the result carries a graph");
      double error =
          GradientAssertions.relativeMaxError(
              problem.exactHypergradient(x).get("x"), h.gradient().get("x"));
      System.out.printf(
          "%s, T=%d: relative error vs closed form %.2e%n",
          getClass().getSimpleName(), STEPS, error);
      assertTrue(error < TOLERANCE, "relative error " + error);
    }
  }

  /** F + w/2 |x|^2 has the hypergradient of F plus w x: the direct term partial_x F counts. */
  @Test
  public void includesTheDirectTerm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 4, BASE, 23);
      PenalizedQuadraticProblem problem = new PenalizedQuadraticProblem(quadratic, 0.7);
      Variables x = quadratic.initialMeta(24);
      Hypergradient h = converged().compute(problem, dynamics(), x.map(d::leaf), STEPS, d);
      double error =
          GradientAssertions.relativeMaxError(
              problem.exactHypergradient(x).get("x"), h.gradient().get("x"));
      System.out.printf(
          "%s with a direct term: relative error vs closed form %.2e%n",
          getClass().getSimpleName(), error);
      assertTrue(error < TOLERANCE, "relative error " + error);
    }
  }

  /** Zero inner steps leave nothing to solve at and are refused. */
  @Test
  public void refusesZeroSteps() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 2, 3, 1);
      Variables x = problem.initialMeta(2).map(d::leaf);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> converged().compute(problem, dynamics(), x, 0, d));
      assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
  }
}
