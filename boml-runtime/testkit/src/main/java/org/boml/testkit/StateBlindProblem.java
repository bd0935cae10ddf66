package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.Predicate;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;
import org.boml.runtime.problem.ForwardingProblem;

/**
 * A problem that fails a test if its lower objective ever sees a dynamics' own state (a velocity,
 * Adam's moments or step count) among the variables it is given: dynamics with state must pass
 * {@code f} the base parameters only. It otherwise is the problem it wraps.
 */
public final class StateBlindProblem extends ForwardingProblem {
  private final Predicate<String> isState;

  /**
   * Wraps a problem.
   *
   * @param inner the problem
   * @param isState which variable names are the dynamics' state, e.g. those ending in {@code
   *     "#velocity"}
   */
  public StateBlindProblem(BilevelProblem inner, Predicate<String> isState) {
    super(inner);
    this.isState = isState;
  }

  /**
   * The wrapped problem's lower objective.
   *
   * @throws AssertionError naming the variables if any of them is state
   */
  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    List<String> state = y.names().stream().filter(isState).toList();
    if (!state.isEmpty()) {
      throw new AssertionError("f saw the dynamics' state " + state + " at step " + step);
    }
    return inner().lowerObjective(step, x, y);
  }
}
