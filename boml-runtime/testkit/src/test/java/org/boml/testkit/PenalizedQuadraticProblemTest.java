package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.boml.api.Differentiator;
import org.boml.api.Variables;
import org.junit.jupiter.api.Test;

/**
 * The penalized problem's closed form is the hypergradient it claims: the exact reverse-mode
 * hypergradient through 400 converged steps of gradient descent matches it, and does not match the
 * quadratic problem's own closed form, which lacks the direct term w x.
 */
class PenalizedQuadraticProblemTest {
  private static final Differentiator D = TestKit.differentiator();

  @Test
  void theClosedFormIsTheConvergedHypergradientWithTheDirectTerm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 4, 20, 23);
      PenalizedQuadraticProblem problem = new PenalizedQuadraticProblem(quadratic, 0.7);
      Variables x = quadratic.initialMeta(24);
      Variables unrolled =
          HypergradientCheck.unrolledHypergradient(
              problem, TestKit.gradientDescent(0.1), x, 400, D);
      double error =
          GradientAssertions.relativeMaxError(
              problem.exactHypergradient(x).get("x"), unrolled.get("x"));
      assertTrue(error < 1e-6, "relative error " + error);
      double withoutPenalty =
          GradientAssertions.relativeMaxError(
              quadratic.exactHypergradient(x).get("x"), unrolled.get("x"));
      assertTrue(withoutPenalty > 1e-2, "the penalty made no difference: " + withoutPenalty);
    }
  }
}
