package org.boml.runtime.check;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.boml.api.Dataset;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.MetaSplit;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.runtime.model.Mlp;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;

/**
 * Builds a meta-learner from a hypergradient provider and a dynamics provider, the way the
 * command line does, to check in a plugin's tests which combinations the runtime accepts: the
 * build runs every check of {@link org.boml.runtime.plugin.Compatibility} and creates both
 * modules, but samples no task.
 */
public final class CombinationCheck {
  private CombinationCheck() {}

  /**
   * Builds and closes a learner on a one-dimensional regression dataset that is never sampled.
   *
   * @param method the hypergradient provider
   * @param methodOptions its options
   * @param dynamics the dynamics provider
   * @param dynamicsOptions its options
   * @param family the family
   * @param steps the number of inner steps {@code T}
   * @throws org.boml.runtime.plugin.IncompatiblePluginsException if the combination is refused
   */
  public static void build(
      HypergradientModuleProvider method,
      Map<String, String> methodOptions,
      IterationModuleProvider dynamics,
      Map<String, String> dynamicsOptions,
      Family family,
      int steps) {
    try (MetaLearner learner = MetaLearner.builder()
        .dataset(new Unsampled())
        .model(new Mlp(1, List.of(2), 1))
        .family(family)
        .innerSteps(steps)
        .dataType(DataType.FLOAT64)
        .dynamics(dynamics, dynamicsOptions)
        .hypergradient(method, methodOptions)
        .build()) {
      // built: the combination is accepted
    }
  }

  /** A regression dataset whose tasks are never needed. */
  private static final class Unsampled implements Dataset {
    @Override
    public Task sample(MetaSplit split, long seed, NDManager manager) {
      throw new UnsupportedOperationException("CombinationCheck samples no task");
    }

    @Override
    public Shape inputShape() {
      return new Shape(1);
    }

    @Override
    public int outputs() {
      return 1;
    }

    @Override
    public TaskKind taskKind() {
      return TaskKind.REGRESSION;
    }

    @Override
    public String describe() {
      return "unsampled";
    }
  }
}
