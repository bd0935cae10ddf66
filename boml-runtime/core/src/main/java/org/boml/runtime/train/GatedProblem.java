package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;
import org.boml.runtime.problem.ForwardingProblem;

/**
 * A task's problem whose upper objective first enters the device's {@link UpperPassGate}; every
 * other call goes straight to the problem.
 */
final class GatedProblem extends ForwardingProblem {
  private final UpperPassGate gate;

  /**
   * Wraps a task's problem.
   *
   * @param problem the task's problem
   * @param gate the gate of the task's device
   */
  GatedProblem(BilevelProblem problem, UpperPassGate gate) {
    super(problem);
    this.gate = gate;
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    gate.enter();
    return inner().upperObjective(x, y);
  }
}
