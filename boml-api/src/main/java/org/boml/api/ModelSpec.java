package org.boml.api;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * What a {@link ModelProvider} needs to build a model for a dataset.
 *
 * @param inputShape the shape of one input, without the batch dimension
 * @param outputs the number of outputs (classes, or regression targets)
 * @param options the provider's options
 */
public record ModelSpec(Shape inputShape, int outputs, Options options) {
  /**
   * Checks the components.
   *
   * @param inputShape see the record description
   * @param outputs see the record description
   * @param options see the record description
   */
  public ModelSpec {
    Objects.requireNonNull(inputShape, "inputShape");
    Objects.requireNonNull(options, "options");
    if (outputs < 1) {
      throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
    }
  }
}
