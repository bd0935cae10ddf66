package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * The result of a {@link HypergradientModule} for one problem.
 *
 * @param gradient {@code dF/dx} with the names of {@code x}, without any graph
 * @param upperObjective the value of {@code F(x, y_T)}
 */
public record Hypergradient(Variables gradient, double upperObjective) {
  /**
   * Checks that the gradient is present.
   *
   * @param gradient see the record description
   * @param upperObjective see the record description
   */
  public Hypergradient {
    Objects.requireNonNull(gradient, "gradient");
  }

  /**
   * A result whose objective is read from a scalar array of any floating-point type.
   *
   * @param gradient {@code dF/dx}, without any graph
   * @param upperObjective the scalar {@code F(x, y_T)}
   * @return the result
   */
  public static Hypergradient of(Variables gradient, NDArray upperObjective) {
    return new Hypergradient(gradient, upperObjective.toType(DataType.FLOAT64, false).getDouble());
  }
}
