package org.boml.testkit.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.UpperGradient;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * F and both its gradients at a point, and after T steps (the prelude of the methods that work at
 * the end of the steps), against their closed forms: grad_x F = w x, grad_y F = y - c.
 */
class UpperGradientTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final double LR = 0.2;

  @Test
  void atAPointMatchesTheClosedForm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiagonalProblem problem = new DiagonalProblem(manager, D, false);
      Variables x = problem.meta().map(D::leaf);
      double[] point = {0.1, 0.2, -0.3, 0.4};
      Variables y = Variables.of(Map.of("y", DiagonalProblem.owned(manager, point)));
      UpperGradient at = UpperGradient.at(problem, x, y, D);
      assertClosedForm(at, point);
      assertTrue(TestKit.requiresGradient(at.point().values()).get(0), "the point is a fresh leaf");
      assertTrue(
          TestKit.requiresGradient(y.values()).stream().noneMatch(b -> b), "y is not changed");
    }
  }

  @Test
  void atTheEndIsAtTheLastIterate() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiagonalProblem problem = new DiagonalProblem(manager, D, false);
      IterationModule gd = TestKit.gradientDescent(LR);
      Variables x = problem.meta().map(D::leaf);
      assertClosedForm(UpperGradient.atEnd(problem, gd, x, 5, D), problem.iterate(5, LR));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> UpperGradient.atEnd(problem, gd, x, 0, D));
      assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
  }

  private static void assertClosedForm(UpperGradient at, double[] y) {
    double[] gradientX = new double[y.length];
    double[] gradientY = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      gradientX[i] = DiagonalProblem.PENALTY * DiagonalProblem.META[i];
      gradientY[i] = y[i] - DiagonalProblem.TARGET[i];
    }
    assertArrayEquals(gradientX, at.gradientX().get("x").toDoubleArray(), 1e-14);
    assertArrayEquals(gradientY, at.gradientY().get("y").toDoubleArray(), 1e-14);
    assertArrayEquals(y, at.point().get("y").toDoubleArray(), 1e-14);
    assertEquals(DiagonalProblem.upperObjective(y), at.value(), 1e-14);
    assertTrue(
        TestKit.requiresGradient(at.gradientX().values()).stream().noneMatch(b -> b)
            && TestKit.requiresGradient(at.gradientY().values()).stream().noneMatch(b -> b),
        "the gradients carry no graph");
  }
}
