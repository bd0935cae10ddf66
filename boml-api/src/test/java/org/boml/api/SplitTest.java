package org.boml.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class SplitTest {
  @Test
  void theSizeIsTheBatchSizeOfBoth() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Split split = new Split(manager.zeros(new Shape(4, 3)), manager.zeros(new Shape(4)));
      assertEquals(4, split.size());
    }
  }

  @Test
  void inputsAndTargetsOfDifferentBatchSizesAreRefused() {
    try (NDManager manager = NDManager.newBaseManager()) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> new Split(manager.zeros(new Shape(4, 3)), manager.zeros(new Shape(5, 1))));
      assertEquals("inputs have 4 examples but targets 5", refused.getMessage());
      assertThrows(NullPointerException.class, () -> new Split(null, manager.zeros(new Shape(1))));
    }
  }
}
