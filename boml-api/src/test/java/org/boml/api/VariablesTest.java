package org.boml.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VariablesTest {
  private NDManager manager;
  private NDArray a;
  private NDArray b;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    a = manager.create(new float[] {1, 2});
    b = manager.create(new float[] {3});
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void keepsInsertionOrderAndLooksUpByName() {
    Variables v = Variables.of(List.of("w", "b"), List.of(a, b));
    assertEquals(List.of("w", "b"), v.names());
    assertTrue(v.get("b") == b);
    assertTrue(v.contains("w"));
    assertEquals(2, v.size());
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> v.get("x"));
    assertTrue(missing.getMessage().contains("[w, b]"), missing.getMessage());
  }

  @Test
  void rejectsMismatchedAndDuplicateNames() {
    assertThrows(IllegalArgumentException.class, () -> Variables.of(List.of("w"), List.of(a, b)));
    assertThrows(
        IllegalArgumentException.class, () -> Variables.of(List.of("w", "w"), List.of(a, b)));
    Variables v = Variables.of(List.of("w"), List.of(a));
    assertThrows(IllegalArgumentException.class, () -> v.merge(v));
    Variables other = Variables.of(List.of("u"), List.of(a));
    assertThrows(IllegalArgumentException.class, () -> v.zip(other, NDArray::add));
  }

  @Test
  void selectMergeMapAndZip() {
    Variables v = Variables.of(Map.of("w", a));
    Variables both = v.merge(Variables.of(Map.of("b", b)));
    assertEquals(List.of("w", "b"), both.names());
    assertEquals(List.of("b"), both.select(name -> name.equals("b")).names());
    Variables doubled = both.zip(both, NDArray::add);
    assertArrayEquals(new float[] {2, 4}, doubled.get("w").toFloatArray());
    assertArrayEquals(new float[] {-3}, both.map(NDArray::neg).get("b").toFloatArray());
    assertTrue(both.toString().contains("w(2)"), both.toString());
  }

  @Test
  void dotAndConcat() {
    Variables v = Variables.of(List.of("w", "b"), List.of(a, b));
    assertEquals(1 * 1 + 2 * 2 + 3 * 3, v.dot(v), 0);
    Variables other = Variables.of(Map.of("u", b));
    assertEquals(List.of(a, b, b), Variables.concat(v, other));
    assertThrows(IllegalArgumentException.class, () -> v.dot(other));
  }
}
