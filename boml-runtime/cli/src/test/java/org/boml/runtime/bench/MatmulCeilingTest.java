package org.boml.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MatmulCeilingTest {
  /** A product of two n x n matrices has n^2 entries of n multiplies and n - 1 adds: ~2 n^3. */
  @Test
  void countsTwoOperationsPerMultiplyAdd() {
    assertEquals(2.0 * 2048 * 2048 * 2048, MatmulCeiling.flops(2048), 0);
    assertEquals(16.0, MatmulCeiling.flops(2), 0);
  }

  @Test
  void refusesNoThreads() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MatmulCeiling.measure(0));
    assertEquals("threads must be >= 1, got 0", e.getMessage());
  }
}
