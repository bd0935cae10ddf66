package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.api.ForwardingDifferentiator;

/**
 * The engine's differentiator for a task under a closing {@link UpperPassGate}: every gradient
 * waits while another task's upper pass runs, and a final gradient (the end of the upper pass)
 * leaves the gate.
 */
final class GatedDifferentiator extends ForwardingDifferentiator {
  private final UpperPassGate gate;

  GatedDifferentiator(Differentiator exact, UpperPassGate gate) {
    super(exact);
    this.gate = gate;
  }

  @Override
  public List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph) {
    gate.awaitTurn();
    return super.vjp(outputs, cotangents, wrt, createGraph);
  }

  @Override
  public List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph) {
    gate.awaitTurn();
    return super.gradient(scalar, wrt, createGraph);
  }

  @Override
  public List<NDArray> finalGradient(NDArray scalar, List<NDArray> wrt) {
    gate.awaitTurn();
    try {
      return exact().finalGradient(scalar, wrt);
    } finally {
      gate.leave();
    }
  }
}
