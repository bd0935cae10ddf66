package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boml.api.Variables;

/**
 * Named arrays as plain Java {@code double} arrays with their shapes, for sending parameters and
 * gradients between JVMs. Converting float32 or float64 arrays to it is exact.
 */
public final class PlainVariables implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, long[]> shapes;
  private final LinkedHashMap<String, double[]> values;

  private PlainVariables(Map<String, long[]> shapes, Map<String, double[]> values) {
    this.shapes = new LinkedHashMap<>(shapes);
    this.values = new LinkedHashMap<>(values);
  }

  /**
   * Copies arrays out of native memory.
   *
   * @param variables the arrays
   * @return their plain copy, in the same order
   */
  public static PlainVariables of(Variables variables) {
    LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
    LinkedHashMap<String, double[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> entry : variables.asMap().entrySet()) {
      NDArray array = entry.getValue();
      shapes.put(entry.getKey(), array.getShape().getShape());
      values.put(entry.getKey(), array.toType(DataType.FLOAT64, false).toDoubleArray());
    }
    return new PlainVariables(shapes, values);
  }

  /**
   * The names, in order.
   *
   * @return the names
   */
  public List<String> names() {
    return new ArrayList<>(values.keySet());
  }

  /**
   * The values of one array, flattened in row-major order (not a copy: do not modify).
   *
   * @param name the array's name
   * @return its values
   */
  public double[] values(String name) {
    double[] found = values.get(name);
    if (found == null) {
      throw new IllegalArgumentException("no array named " + name + "; have " + names());
    }
    return found;
  }

  /**
   * Creates the arrays in native memory.
   *
   * @param manager where they live
   * @param dataType their type
   * @return the arrays, in order
   */
  public Variables toVariables(NDManager manager, DataType dataType) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    values.forEach(
        (name, data) ->
            arrays.put(
                name, manager.create(data, new Shape(shapes.get(name))).toType(dataType, false)));
    return Variables.of(arrays);
  }

  /**
   * The element-wise sum with arrays of the same names and shapes, in double precision.
   *
   * @param other the other arrays
   * @return a new sum
   */
  public PlainVariables plus(PlainVariables other) {
    if (!values.keySet().equals(other.values.keySet())) {
      throw new IllegalArgumentException(
          "cannot add arrays named " + other.names() + " to arrays named " + names());
    }
    LinkedHashMap<String, double[]> sum = new LinkedHashMap<>();
    values.forEach(
        (name, mine) -> {
          double[] theirs = other.values.get(name);
          if (theirs.length != mine.length) {
            throw new IllegalArgumentException(
                name + " has " + mine.length + " values here and " + theirs.length + " there");
          }
          double[] out = new double[mine.length];
          for (int i = 0; i < out.length; i++) {
            out[i] = mine[i] + theirs[i];
          }
          sum.put(name, out);
        });
    return new PlainVariables(shapes, sum);
  }
}
