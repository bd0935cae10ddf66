package org.boml.api;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Inputs and targets of one part of a task.
 *
 * @param inputs the inputs, batch dimension first
 * @param targets the targets, batch dimension first (see {@link TaskKind})
 */
public record Split(NDArray inputs, NDArray targets) {
  /**
   * Checks that both arrays are present and have the same batch size.
   *
   * @param inputs see the record description
   * @param targets see the record description
   */
  public Split {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(targets, "targets");
    long n = inputs.getShape().get(0);
    if (targets.getShape().get(0) != n) {
      throw new IllegalArgumentException(
          "inputs have " + n + " examples but targets " + targets.getShape().get(0));
    }
  }

  /**
   * The number of examples.
   *
   * @return the batch size
   */
  public long size() {
    return inputs.getShape().get(0);
  }
}
