package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import org.boml.api.Variables;

/**
 * Copies saved values (a checkpoint's, or those a distributed driver broadcasts) into a learner's
 * meta-parameters, refusing values of another model or family by their names and shapes.
 */
final class SavedValues {
  private SavedValues() {}

  /** Overwrites the initialized meta-parameters with given values, checking names and shapes. */
  static void copyInto(Variables target, Variables values) {
    if (!target.nameSet().equals(values.nameSet())) {
      throw new IllegalArgumentException(
          "the saved meta-parameters "
              + values.names()
              + " do not belong to this model and family, whose meta-parameters are "
              + target.names());
    }
    for (String name : target.names()) {
      NDArray into = target.get(name);
      NDArray from = values.get(name);
      if (!into.getShape().equals(from.getShape())) {
        throw new IllegalArgumentException(
            "saved meta-parameter "
                + name
                + " has shape "
                + from.getShape()
                + " but this model's has shape "
                + into.getShape()
                + "; the checkpoint is from another model shape");
      }
      into.set(
          from.toType(into.getDataType(), false).toDevice(into.getDevice(), false).toByteBuffer());
    }
  }
}
