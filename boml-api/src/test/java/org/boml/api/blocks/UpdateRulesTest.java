package org.boml.api.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.DoubleFunction;
import org.boml.api.blocks.UpdateRules.AdamCoefficients;
import org.boml.api.blocks.UpdateRules.AdamConstants;
import org.junit.jupiter.api.Test;

/**
 * The shared update rules in float64 against the formulas written out in Java doubles: three
 * momentum and three Adam updates of a vector that holds an exact zero gradient (Adam's floor), a
 * negative and a large component; the inputs are left unchanged; bad constants are refused.
 */
class UpdateRulesTest {
  private static final double[][] GRADIENTS = {
    {0.5, -2.0, 0.0, 30.0}, {-0.25, -1.0, 0.0, 10.0}, {1.5, 0.125, 0.0, -20.0}
  };

  @Test
  void momentumIsTheGradientPlusTheDecayedVelocity() {
    try (NDManager manager = NDManager.newBaseManager()) {
      double mu = 0.9;
      NDArray decay = manager.create(mu);
      NDArray velocity = manager.zeros(new Shape(4), DataType.FLOAT64);
      double[] expected = new double[4];
      for (double[] g : GRADIENTS) {
        NDArray gradient = manager.create(g);
        velocity = UpdateRules.momentumVelocity(velocity, gradient, decay);
        for (int i = 0; i < 4; i++) {
          expected[i] = g[i] + mu * expected[i];
        }
        assertArrayEquals(expected, velocity.toDoubleArray(), 1e-15);
        assertArrayEquals(g, gradient.toDoubleArray(), 0, "the gradient is left alone");
      }
    }
  }

  @Test
  void adamMatchesItsFormulaIncludingTheBiasCorrectionAndTheFloor() {
    try (NDManager manager = NDManager.newBaseManager()) {
      double b1 = 0.8;
      double b2 = 0.95;
      double eps = 1e-3;
      DoubleFunction<NDArray> constant = manager::create;
      NDArray m = manager.zeros(new Shape(4), DataType.FLOAT64);
      NDArray v = m.duplicate();
      double[] em = new double[4];
      double[] ev = new double[4];
      for (int k = 1; k <= GRADIENTS.length; k++) {
        double[] g = GRADIENTS[k - 1];
        AdamCoefficients c =
            new AdamConstants(b1, b2, eps).at(manager.create((double) k), constant);
        double[] mBefore = m.toDoubleArray();
        NDArray nextM = UpdateRules.adamFirstMoment(m, manager.create(g), c);
        NDArray nextV = UpdateRules.adamSecondMoment(v, manager.create(g), c);
        assertArrayEquals(mBefore, m.toDoubleArray(), 0, "the moment is left alone");
        m = nextM;
        v = nextV;
        double[] direction = UpdateRules.adamDirection(m, v, c).toDoubleArray();
        for (int i = 0; i < 4; i++) {
          em[i] = b1 * em[i] + (1 - b1) * g[i];
          ev[i] = b2 * ev[i] + (1 - b2) * g[i] * g[i];
          double corrected = Math.max(ev[i] / (1 - Math.pow(b2, k)), 1e-30);
          double expected = em[i] / (1 - Math.pow(b1, k)) / (Math.sqrt(corrected) + eps);
          assertEquals(expected, direction[i], 1e-14 * Math.max(1, Math.abs(expected)), "k=" + k);
        }
        assertEquals(0.0, direction[2], 0, "a zero gradient gives a zero direction");
      }
      assertArrayEquals(em, m.toDoubleArray(), 1e-14);
      assertArrayEquals(ev, v.toDoubleArray(), 1e-12);
    }
  }

  @Test
  void theFirstBiasCorrectedStepIsTheSignOfTheGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      AdamCoefficients c =
          new AdamConstants(0.9, 0.999, 1e-12).at(manager.create(1.0), manager::create);
      NDArray g = manager.create(new double[] {3.0, -0.5});
      NDArray zero = g.zerosLike();
      double[] direction =
          UpdateRules.adamDirection(
                  UpdateRules.adamFirstMoment(zero, g, c),
                  UpdateRules.adamSecondMoment(zero, g, c),
                  c)
              .toDoubleArray();
      assertArrayEquals(new double[] {1.0, -1.0}, direction, 1e-11);
    }
  }

  @Test
  void badConstantsAreRefused() {
    assertEquals(
        "beta1 must be in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new AdamConstants(1.0, 0.9, 1e-8))
            .getMessage());
    assertEquals(
        "beta2 must be in [0, 1), got -0.1",
        assertThrows(IllegalArgumentException.class, () -> new AdamConstants(0.9, -0.1, 1e-8))
            .getMessage());
    assertEquals(
        "epsilon must be a positive number, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new AdamConstants(0.9, 0.9, 0))
            .getMessage());
  }
}
