package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Arrays made from Java data, turned into arrays whose memory the engine owns, so that they are
 * safe to take part in a graph. DJL's {@code NDManager.create(double[] ...)} may wrap the Java
 * buffer without copying it; an array whose buffer is freed while autograd still points at it makes
 * gradients garbage after a garbage collection. Plugins make their initial learned hyperparameters
 * with it.
 *
 * @since 1.3.0
 */
public final class OwnedArrays {
  private OwnedArrays() {}

  /**
   * An engine-owned copy of a Java-backed array, in a given data type; the Java-backed array (and
   * the intermediate typed one, if any) is closed.
   *
   * @param javaBacked an array created from Java data; closed by this call
   * @param dataType the data type of the copy
   * @return the copy, in the same manager, not requiring a gradient
   */
  public static NDArray owned(NDArray javaBacked, DataType dataType) {
    NDArray typed = javaBacked.toType(dataType, false);
    NDArray copy = typed.duplicate();
    if (typed != javaBacked) {
      typed.close();
    }
    javaBacked.close();
    return copy;
  }
}
