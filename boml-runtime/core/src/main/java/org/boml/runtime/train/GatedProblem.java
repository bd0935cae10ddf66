package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;

/**
 * A task's problem whose upper objective first enters the device's {@link UpperPassGate}; every
 * other call goes straight to the problem.
 *
 * @param problem the task's problem
 * @param gate the gate of the task's device
 */
record GatedProblem(BilevelProblem problem, UpperPassGate gate) implements BilevelProblem {
  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    return problem.lowerObjective(step, x, y);
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    gate.enter();
    return problem.upperObjective(x, y);
  }

  @Override
  public Variables initialBase(Variables x) {
    return problem.initialBase(x);
  }

  @Override
  public NDManager manager() {
    return problem.manager();
  }

  @Override
  public long seed() {
    return problem.seed();
  }
}
