package org.boml.runtime.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.Mlp;
import org.junit.jupiter.api.Test;

class HeadWideningTest {
  @Test
  void everyNewRowIsTheMeanOfTheTrainedRows() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Mlp fiveWay = new Mlp(3, List.of(4), 5);
      Variables x = fiveWay.initialize(manager, DataType.FLOAT64, 1);
      Mlp sevenWay = new Mlp(3, List.of(4), 7);
      Variables widened = HeadWidening.widen(x, sevenWay);
      assertEquals(7, widened.get("head.weight").getShape().get(0));
      double[] trained = x.get("head.weight").toDoubleArray();
      double[] rows = widened.get("head.weight").toDoubleArray();
      for (int column = 0; column < 4; column++) {
        double mean = 0;
        for (int row = 0; row < 5; row++) {
          mean += trained[row * 4 + column] / 5;
        }
        for (int row = 0; row < 7; row++) {
          assertEquals(mean, rows[row * 4 + column], 1e-15);
        }
      }
      assertTrue(widened.get("layer0.weight") == x.get("layer0.weight"), "the body is unchanged");
      assertEquals(7, HeadWidening.outputs(sevenWay));
      assertArrayEquals(
          x.get("head.bias").toDoubleArray(),
          HeadWidening.widen(x, fiveWay).get("head.bias").toDoubleArray(),
          0);
    }
  }

  @Test
  void variablesAMethodAddsAreKept() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables model = new Mlp(3, List.of(4), 5).initialize(manager, DataType.FLOAT64, 1);
      Variables added = Variables.of(Map.of("method.extra", manager.ones(new Shape(2))));
      Variables widened = HeadWidening.widen(model.merge(added), new Mlp(3, List.of(4), 7));
      assertTrue(widened.get("method.extra") == added.get("method.extra"));
      assertEquals(model.size() + 1, widened.size());
    }
  }

  @Test
  void aDifferentBodyIsAnError() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables x = new Mlp(3, List.of(4), 5).initialize(manager, DataType.FLOAT32, 1);
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> HeadWidening.widen(x, new Mlp(3, List.of(6), 5)));
      assertTrue(error.getMessage().contains("layer0.weight"), error.getMessage());
    }
  }
}
