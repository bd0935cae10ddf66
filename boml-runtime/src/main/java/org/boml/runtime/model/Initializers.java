package org.boml.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Seeded parameter initializers whose arrays are owned by the engine, not by Java buffers. */
final class Initializers {
  private Initializers() {}

  /** Uniform on {@code [-bound, bound]}. */
  static NDArray uniform(NDManager manager, Random random, Shape shape, double bound, DataType type) {
    double[] values = new double[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (2 * random.nextDouble() - 1) * bound;
    }
    return owned(manager, values, shape, type);
  }

  /** Every element equal to {@code value}. */
  static NDArray constant(NDManager manager, Shape shape, double value, DataType type) {
    return manager.full(shape, (float) value, type);
  }

  private static NDArray owned(NDManager manager, double[] values, Shape shape, DataType type) {
    try (NDArray javaBacked = manager.create(values, shape)) {
      return javaBacked.toType(type, true).duplicate();
    }
  }
}
