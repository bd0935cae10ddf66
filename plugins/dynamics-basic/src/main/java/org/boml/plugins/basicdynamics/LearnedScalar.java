package org.boml.plugins.basicdynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.boml.api.Variables;

/** Reads a learned scalar hyperparameter of the built-in dynamics from the meta-parameters. */
final class LearnedScalar {
  private LearnedScalar() {}

  /**
   * The one-element variable {@code x[name]} as a 0-dimensional array, with its graph.
   *
   * @param x the meta-parameters
   * @param name the variable
   * @param what what it holds, for messages, e.g. {@code the step size}
   * @param type the type the objective has, which the variable must have too
   * @return {@code x[name]} reshaped to a scalar
   * @throws IllegalArgumentException if {@code x} lacks it, or it has more than one element or
   *     another type
   */
  static NDArray read(Variables x, String name, String what, DataType type) {
    if (!x.contains(name)) {
      throw new IllegalArgumentException(
          what
              + " is read from x['"
              + name
              + "'], but x holds "
              + x.names()
              + ". With a learn-* option of the dynamics, build x with the provider's model"
              + " extension (MetaLearner and HyperparameterOptimizer do); with "
              + StepSize.VARIABLE
              + ", add a one-element variable of that name to x");
    }
    NDArray value = x.get(name);
    if (value.size() != 1) {
      throw new IllegalArgumentException(
          what
              + " is read from x['"
              + name
              + "'], which must have one element but has shape "
              + value.getShape());
    }
    if (value.getDataType() != type) {
      throw new IllegalArgumentException(
          what + " x['" + name + "'] is " + value.getDataType() + " but the objective is " + type);
    }
    return value.reshape(new Shape());
  }
}
