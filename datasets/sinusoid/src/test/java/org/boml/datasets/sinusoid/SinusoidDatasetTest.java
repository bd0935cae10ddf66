package org.boml.datasets.sinusoid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Options;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.junit.jupiter.api.Test;

class SinusoidDatasetTest {
  private static Dataset open(Map<String, String> values) {
    SinusoidProvider provider = new SinusoidProvider();
    return provider.open(Options.forProvider(values, provider));
  }

  @Test
  void tasksHaveTheRequestedShapesAndRanges() {
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of("shots", "5", "queries", "7"))) {
      assertEquals(TaskKind.REGRESSION, dataset.taskKind());
      assertEquals(new Shape(1), dataset.inputShape());
      assertEquals(1, dataset.outputs());
      for (long seed = 0; seed < 50; seed++) {
        Task task = dataset.sample(MetaSplit.TRAIN, seed, manager);
        assertEquals(new Shape(5, 1), task.train().inputs().getShape());
        assertEquals(new Shape(7, 1), task.validation().targets().getShape());
        float[] x = task.train().inputs().toFloatArray();
        float[] y = task.train().targets().toFloatArray();
        for (int i = 0; i < x.length; i++) {
          assertTrue(x[i] >= -5 && x[i] <= 5, "input " + x[i]);
          assertTrue(Math.abs(y[i]) <= 5 + 1e-6, "target " + y[i]);
        }
      }
    }
  }

  /**
   * Every task is a sinusoid: recover A and phi from two points of the training split and check all
   * others.
   */
  @Test
  void pointsOfATaskLieOnOneSinusoidWithinTheDocumentedRanges() {
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of())) {
      Task task = dataset.sample(MetaSplit.TEST, 3, manager);
      float[] x = task.train().inputs().toFloatArray();
      float[] y = task.train().targets().toFloatArray();
      // y = A sin(x - phi) = a sin x + b cos x with a = A cos phi, b = -A sin phi.
      double det = Math.sin(x[0]) * Math.cos(x[1]) - Math.cos(x[0]) * Math.sin(x[1]);
      double a = (y[0] * Math.cos(x[1]) - Math.cos(x[0]) * y[1]) / det;
      double b = (Math.sin(x[0]) * y[1] - y[0] * Math.sin(x[1])) / det;
      double amplitude = Math.hypot(a, b);
      double phase = Math.atan2(-b, a);
      assertTrue(amplitude >= 0.1 - 1e-4 && amplitude <= 5 + 1e-4, "amplitude " + amplitude);
      assertTrue(phase >= -1e-4 && phase <= Math.PI + 1e-4, "phase " + phase);
      float[] vx = task.validation().inputs().toFloatArray();
      float[] vy = task.validation().targets().toFloatArray();
      for (int i = 0; i < vx.length; i++) {
        assertEquals(amplitude * Math.sin(vx[i] - phase), vy[i], 2e-3, "float32 data");
      }
    }
  }

  @Test
  void theSeedFixesTheTaskAndSplitsAreIndependentStreams() {
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of())) {
      float[] first = dataset.sample(MetaSplit.TRAIN, 42, manager).train().targets().toFloatArray();
      float[] again = dataset.sample(MetaSplit.TRAIN, 42, manager).train().targets().toFloatArray();
      float[] other = dataset.sample(MetaSplit.TRAIN, 43, manager).train().targets().toFloatArray();
      float[] test = dataset.sample(MetaSplit.TEST, 42, manager).train().targets().toFloatArray();
      assertArrayEquals(first, again, 0);
      assertFalse(Arrays.equals(first, other));
      assertFalse(Arrays.equals(first, test));
    }
  }

  @Test
  void invalidOptionsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> open(Map.of("shots", "0")));
    assertThrows(IllegalArgumentException.class, () -> open(Map.of("queries", "many")));
    assertThrows(IllegalArgumentException.class, () -> open(Map.of("ways", "5")));
  }
}
