package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * A differentiator that hands every call to another one, for differentiators that change what a few
 * calls do (hold derivatives constant, record or count them) and keep the rest: a subclass
 * overrides those calls and reaches the wrapped differentiator through {@link #exact()}.
 *
 * @since 1.3.0
 */
public abstract class ForwardingDifferentiator implements Differentiator {
  private final Differentiator exact;

  /**
   * Wraps a differentiator.
   *
   * @param exact the differentiator every call goes to unless a subclass overrides it
   */
  protected ForwardingDifferentiator(Differentiator exact) {
    this.exact = exact;
  }

  /**
   * The wrapped differentiator.
   *
   * @return it
   */
  protected final Differentiator exact() {
    return exact;
  }

  @Override
  public List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph) {
    return exact.vjp(outputs, cotangents, wrt, createGraph);
  }

  @Override
  public List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph) {
    return exact.gradient(scalar, wrt, createGraph);
  }

  @Override
  public NDArray track(NDArray array) {
    return exact.track(array);
  }

  @Override
  public NDArray leaf(NDArray array) {
    return exact.leaf(array);
  }

  @Override
  public NDArray constant(NDManager manager, double value, DataType dataType) {
    return exact.constant(manager, value, dataType);
  }
}
