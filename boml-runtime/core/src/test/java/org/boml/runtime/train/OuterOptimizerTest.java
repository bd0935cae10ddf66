package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.boml.api.Variables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each optimizer's updates against values computed by hand, in float64. */
class OuterOptimizerTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Variables vector(double... values) {
    return Variables.of(Map.of("x", manager.create(values)));
  }

  @Test
  void sgdSubtractsTheScaledGradient() {
    Variables x = vector(1, 2);
    OuterOptimizer.sgd().step(x, vector(0.5, -1), 0.1);
    assertArrayEquals(new double[] {0.95, 2.1}, x.get("x").toDoubleArray(), 1e-15);
  }

  @Test
  void momentumAccumulatesVelocity() {
    Variables x = vector(0);
    OuterOptimizer momentum = OuterOptimizer.momentum(0.9);
    momentum.step(x, vector(1), 0.1); // v = 1, x = -0.1
    momentum.step(x, vector(1), 0.1); // v = 1.9, x = -0.29
    assertArrayEquals(new double[] {-0.29}, x.get("x").toDoubleArray(), 1e-15);
    assertEquals(2, momentum.steps());
  }

  @Test
  void adamFollowsTheBiasCorrectedMoments() {
    Variables x = vector(0, 0);
    OuterOptimizer adam = OuterOptimizer.adam(0.9, 0.999, 1e-8);
    // First step: mhat = g, vhat = g^2, so the update is lr * g / (|g| + eps) = lr * sign(g).
    adam.step(x, vector(3, -0.5), 0.01);
    assertArrayEquals(new double[] {-0.01, 0.01}, x.get("x").toDoubleArray(), 1e-9);
    // Second step with g2: m = 0.09 g1 + 0.1 g2 ... computed by hand for the first coordinate.
    adam.step(x, vector(1, -0.5), 0.01);
    double m = 0.9 * 0.1 * 3 + 0.1 * 1;
    double v = 0.999 * 0.001 * 9 + 0.001 * 1;
    double mhat = m / (1 - 0.81);
    double vhat = v / (1 - 0.999 * 0.999);
    double first = -0.01 * 3 / (3 + 1e-8);
    assertEquals(
        first - 0.01 * mhat / (Math.sqrt(vhat) + 1e-8), x.get("x").toDoubleArray()[0], 1e-15);
  }

  @Test
  void rejectsInvalidHyperparameters() {
    assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.momentum(1.0));
    assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.adam(0.9, -0.1, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.adam(0.9, 0.999, 0));
    Variables x = vector(1);
    Variables other = Variables.of(Map.of("y", manager.create(new double[] {1})));
    assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.sgd().step(x, other, 0.1));
  }
}
