package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;

/**
 * A problem that hands every call to another one, for wrappers that change what a few calls do
 * (filter the variables the objectives see, wait for a turn, count or check the calls) and keep the
 * rest, the seed included: a subclass overrides those calls and reaches the wrapped problem through
 * {@link #inner()}.
 */
public abstract class ForwardingProblem implements BilevelProblem {
  private final BilevelProblem inner;

  /**
   * Wraps a problem.
   *
   * @param inner the problem every call goes to unless a subclass overrides it
   */
  protected ForwardingProblem(BilevelProblem inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  /**
   * The wrapped problem.
   *
   * @return it
   */
  protected final BilevelProblem inner() {
    return inner;
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    return inner.lowerObjective(step, x, y);
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    return inner.upperObjective(x, y);
  }

  @Override
  public Variables initialBase(Variables x) {
    return inner.initialBase(x);
  }

  @Override
  public NDManager manager() {
    return inner.manager();
  }

  @Override
  public long seed() {
    return inner.seed();
  }
}
