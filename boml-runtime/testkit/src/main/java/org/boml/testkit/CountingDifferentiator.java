package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.boml.api.Differentiator;
import org.boml.api.ForwardingDifferentiator;

/**
 * A differentiator that counts the vector-Jacobian products a module asks for (Hessian-vector
 * products, in an implicit method; gradients are not counted) and computes them with another one:
 * for tests of a method's cost, such as the number of conjugate-gradient or Neumann-series terms.
 */
public final class CountingDifferentiator extends ForwardingDifferentiator {
  private final AtomicInteger products = new AtomicInteger();

  /**
   * Counts the products asked of a differentiator.
   *
   * @param exact computes them
   */
  public CountingDifferentiator(Differentiator exact) {
    super(exact);
  }

  /**
   * How many vector-Jacobian products were asked for so far.
   *
   * @return the count
   */
  public int products() {
    return products.get();
  }

  @Override
  public List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph) {
    products.incrementAndGet();
    return super.vjp(outputs, cotangents, wrt, createGraph);
  }
}
