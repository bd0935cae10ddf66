package org.boml.plugins.fmaml;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.api.ForwardingDifferentiator;

/**
 * A differentiator whose derivatives carry no graph, whatever the caller asks: handed to the
 * lower-level dynamics, it makes every derivative a step takes ({@code grad_y f}, and {@code grad_y
 * F} for dynamics that use it) a constant of the step, while what the step does with {@code x} and
 * {@code y} outside those derivatives (a step size read from {@code x}, a mask in the state) keeps
 * its graph. That is the stop-gradient of first-order MAML.
 */
final class ConstantDerivatives extends ForwardingDifferentiator {
  /**
   * Wraps the runtime's differentiator.
   *
   * @param exact the differentiator that computes the values
   */
  ConstantDerivatives(Differentiator exact) {
    super(exact);
  }

  @Override
  public List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph) {
    return exact().vjp(outputs, cotangents, wrt, false);
  }

  @Override
  public List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph) {
    return exact().gradient(scalar, wrt, false);
  }
}
