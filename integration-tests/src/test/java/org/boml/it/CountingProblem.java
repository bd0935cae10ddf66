package org.boml.it;

import ai.djl.ndarray.NDArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;
import org.boml.runtime.problem.ForwardingProblem;

/** A bilevel problem that counts the evaluations of another, to tell whether any work was done. */
final class CountingProblem extends ForwardingProblem {
  private final AtomicInteger evaluations = new AtomicInteger();

  CountingProblem(BilevelProblem inner) {
    super(inner);
  }

  /** The number of calls of the objectives and of the initial point so far. */
  int evaluations() {
    return evaluations.get();
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    evaluations.incrementAndGet();
    return inner().lowerObjective(step, x, y);
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    evaluations.incrementAndGet();
    return inner().upperObjective(x, y);
  }

  @Override
  public Variables initialBase(Variables x) {
    evaluations.incrementAndGet();
    return inner().initialBase(x);
  }
}
