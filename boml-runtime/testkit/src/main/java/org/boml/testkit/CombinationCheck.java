package org.boml.testkit;

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
import org.boml.plugins.standardmodels.Mlp;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;

/**
 * Builds a meta-learner from a hypergradient provider and a dynamics provider, the way the command
 * line does, to check in a plugin's tests which combinations the runtime accepts: the build runs
 * every check of {@link org.boml.runtime.plugin.Compatibility} and creates both modules, but
 * samples no task.
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
    try (MetaLearner learner =
        MetaLearner.builder()
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

  /** Which combinations a plugin's documented requirements allow. */
  @FunctionalInterface
  public interface Rule {
    /**
     * Whether a combination is legal.
     *
     * @param dynamics the dynamics' name
     * @param family the family
     * @param steps the number of inner steps
     * @return true if the runtime must accept it
     */
    boolean legal(String dynamics, Family family, int steps);
  }

  /**
   * Tries a hypergradient plugin with every discovered dynamics, both families and {@code T} in {0,
   * 1, 3}: the combinations the rule allows must build, the others must be refused with a message
   * that starts by naming both plugins.
   *
   * @param registry where the plugins come from
   * @param hypergradient the hypergradient plugin's name
   * @param rule its documented requirements
   * @return the number of accepted combinations
   * @throws AssertionError naming the first combination that behaves otherwise
   */
  public static int checkEveryCombination(
      PluginRegistry registry, String hypergradient, Rule rule) {
    HypergradientModuleProvider method = registry.hypergradient(hypergradient);
    int accepted = 0;
    for (IterationModuleProvider dynamics : registry.iterations()) {
      for (Family family : Family.values()) {
        for (int steps : new int[] {0, 1, 3}) {
          String label =
              hypergradient + " with " + dynamics.name() + ", " + family + ", T=" + steps;
          if (rule.legal(dynamics.name(), family, steps)) {
            try {
              build(method, Map.of(), dynamics, Map.of(), family, steps);
            } catch (IncompatiblePluginsException e) {
              throw new AssertionError(label + " should be accepted: " + e.getMessage(), e);
            }
            accepted++;
          } else {
            String expected =
                "hypergradient '"
                    + hypergradient
                    + "' cannot be used with dynamics '"
                    + dynamics.name()
                    + "': ";
            try {
              build(method, Map.of(), dynamics, Map.of(), family, steps);
            } catch (IncompatiblePluginsException e) {
              if (!e.getMessage().startsWith(expected)) {
                throw new AssertionError(label + ": unexpected message " + e.getMessage(), e);
              }
              continue;
            }
            throw new AssertionError(label + " should be refused");
          }
        }
      }
    }
    return accepted;
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
