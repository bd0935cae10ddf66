package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/** Seeded parameter initializers whose arrays are owned by the engine, not by Java buffers. */
final class Initializers {
  private Initializers() {}

  /**
   * PyTorch's default initialization, by naming convention: {@code *.gamma} is 1, {@code *.beta} is
   * 0, and {@code *.weight} and its {@code *.bias} are uniform on {@code [-1/sqrt(fan_in),
   * 1/sqrt(fan_in)]}, with {@code fan_in} the weight's size over its first dimension.
   */
  static Variables pytorchDefault(
      List<ParameterSpec> specs, NDManager manager, DataType type, long seed) {
    Random random = new Random(seed);
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      String name = spec.name();
      NDArray value;
      if (name.endsWith(".gamma")) {
        value = constant(manager, spec.shape(), 1, type);
      } else if (name.endsWith(".beta")) {
        value = constant(manager, spec.shape(), 0, type);
      } else {
        String weightName = name.replace(".bias", ".weight");
        Shape weight =
            specs.stream()
                .filter(s -> s.name().equals(weightName))
                .findFirst()
                .orElseThrow()
                .shape();
        long fanIn = weight.size() / weight.get(0);
        value = uniform(manager, random, spec.shape(), 1 / Math.sqrt((double) fanIn), type);
      }
      params.put(name, value);
    }
    return Variables.of(params);
  }

  /** Uniform on {@code [-bound, bound]}. */
  private static NDArray uniform(
      NDManager manager, Random random, Shape shape, double bound, DataType type) {
    double[] values = new double[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (2 * random.nextDouble() - 1) * bound;
    }
    return owned(manager, values, shape, type);
  }

  /** Every element equal to {@code value}. */
  private static NDArray constant(NDManager manager, Shape shape, double value, DataType type) {
    return manager.full(shape, (float) value, type);
  }

  private static NDArray owned(NDManager manager, double[] values, Shape shape, DataType type) {
    try (NDArray javaBacked = manager.create(values, shape)) {
      return javaBacked.toType(type, true).duplicate();
    }
  }
}
