package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;

/**
 * A problem whose objectives see the base parameters only. Dynamics may carry state of their own in
 * the lower-level state {@code y} (momentum's {@code <p>#velocity}, Adam's moments, MT-net's
 * masks), and hypergradient modules pass the whole state to {@code f} and {@code F}; this removes
 * every variable that is not one of {@code y_0 = initialBase(x)} before calling the wrapped
 * objectives, so that a user's functions receive exactly the variables they defined.
 *
 * <p>The base names are those of the latest {@link #initialBase(Variables)} (every method
 * initializes before it evaluates an objective); an objective evaluated before any initialization
 * asks the wrapped problem for {@code y_0} once to learn them.
 */
public final class BaseParametersOnly extends ForwardingProblem {
  private volatile Set<String> baseNames;

  private BaseParametersOnly(BilevelProblem problem) {
    super(problem);
  }

  /**
   * Wraps a problem, unless it is wrapped already.
   *
   * @param problem the problem
   * @return a problem with the same objectives, whose objectives see the base parameters only
   */
  public static BilevelProblem of(BilevelProblem problem) {
    return problem instanceof BaseParametersOnly ? problem : new BaseParametersOnly(problem);
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    return inner().lowerObjective(step, x, base(x, y));
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    return inner().upperObjective(x, base(x, y));
  }

  @Override
  public Variables initialBase(Variables x) {
    Variables initial = inner().initialBase(x);
    baseNames = Set.copyOf(initial.names());
    return initial;
  }

  private Variables base(Variables x, Variables y) {
    Set<String> names = baseNames;
    if (names == null) {
      names = Set.copyOf(inner().initialBase(x).names());
      baseNames = names;
    }
    return names.containsAll(y.names()) ? y : y.select(names::contains);
  }
}
