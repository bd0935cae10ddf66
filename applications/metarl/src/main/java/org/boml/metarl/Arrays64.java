package org.boml.metarl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Moving numbers between Java arrays and the engine safely. */
final class Arrays64 {
  private Arrays64() {}

  /**
   * An array of the given type whose memory the engine owns (a graph may keep it), made from Java
   * values; the Java-backed intermediate is closed at once (see {@link
   * org.boml.api.Differentiator#constant}).
   */
  static NDArray engineOwned(NDManager manager, double[] values, Shape shape, DataType type) {
    // toType may return an alias of the Java-backed memory (same type); duplicate() clones it
    try (NDArray javaBacked = manager.create(values, shape);
        NDArray converted = javaBacked.toType(type, false)) {
      return converted.duplicate();
    }
  }

  /** The values of an array, in float64, in row-major order. */
  static double[] values(NDArray array) {
    try (NDArray detached = array.stopGradient();
        NDArray wide = detached.toType(DataType.FLOAT64, true)) {
      return wide.toDoubleArray();
    }
  }
}
