package org.boml.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Options;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.problem.Family;

/**
 * One cell of the plugin matrix: a problem, a hypergradient module with its options, lower-level
 * dynamics and an outer optimizer. Whether it is legal is what the runtime's {@link Compatibility}
 * says of the plugins' declarations.
 *
 * @param problem where it runs
 * @param method the hypergradient module's provider
 * @param methodOptions its options
 * @param dynamics the dynamics' provider
 * @param optimizer the outer optimizer's name
 */
record Combination(
    Problem problem,
    HypergradientModuleProvider method,
    Map<String, String> methodOptions,
    IterationModuleProvider dynamics,
    String optimizer) {

  /** The problems of the matrix, each with its number of lower-level steps {@code T}. */
  enum Problem {
    /** Omniglot, meta-initialization family. */
    OMNIGLOT_META_INIT("omniglot meta-init", Family.META_INITIALIZATION, 2),
    /** Omniglot, meta-feature family. */
    OMNIGLOT_META_FEATURE("omniglot meta-feature", Family.META_FEATURE, 2),
    /**
     * {@link org.boml.runtime.check.QuadraticProblem} with {@link
     * org.boml.runtime.train.HyperparameterOptimizer}, declared to it ({@link #kind()}) as a
     * problem whose {@code x} enters only {@code f}, so that the optimizer checks the requirements
     * on the problem too ({@code fmaml}, whose hypergradient would be exactly zero there, is
     * refused). With 100 steps of size 0.1 every dynamics comes close to the lower-level solution,
     * so that the approximate methods ({@code hoag}, {@code trhg}, {@code darts}) point downhill
     * too.
     */
    QUADRATIC("quadratic", null, 100);

    private final String label;
    private final Family family;
    private final int steps;

    Problem(String label, Family family, int steps) {
      this.label = label;
      this.family = family;
      this.steps = steps;
    }

    /** The family, or {@code null} for the quadratic problem. */
    Family family() {
      return family;
    }

    /** The number of lower-level steps {@code T}. */
    int steps() {
      return steps;
    }

    /** What the problem supplies, as the runtime checks it. */
    Compatibility.ProblemKind kind() {
      return family == null
          ? Compatibility.ProblemKind.declared(
              "the quadratic problem (x enters only f)", Set.of(Capabilities.X_IN_LOWER_OBJECTIVE))
          : Compatibility.ProblemKind.of(family);
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** Every combination of the discovered methods (with each option set) and dynamics. */
  static List<Combination> all(Problem problem) {
    List<Combination> cells = new ArrayList<>();
    for (HypergradientModuleProvider method : MatrixPlugins.methods()) {
      for (Map<String, String> options :
          MatrixPlugins.methodOptions(method.name(), problem.steps())) {
        for (IterationModuleProvider dynamics : MatrixPlugins.dynamics()) {
          for (String optimizer : MatrixPlugins.OPTIMIZERS) {
            cells.add(new Combination(problem, method, options, dynamics, optimizer));
          }
        }
      }
    }
    return cells;
  }

  /** The dynamics' options. */
  Map<String, String> dynamicsOptions() {
    return MatrixPlugins.dynamicsOptions(dynamics);
  }

  /** Why the runtime must refuse this combination; empty if it is legal. */
  List<String> reasons() {
    return new Compatibility(
            method,
            methodOptions,
            dynamics,
            dynamicsOptions(),
            problem.steps(),
            problem.kind(),
            MatrixPlugins.dynamics())
        .reasons();
  }

  /** Whether the plugins declare that this combination works. */
  boolean legal() {
    return reasons().isEmpty();
  }

  /**
   * Whether the method or the dynamics adds parameters to the model ({@code metasgd}'s step sizes,
   * {@code mtnet}'s transforms, {@code warpgrad}'s warp layers): such a combination needs a model,
   * which the quadratic problem does not have, and its meta-parameters also enter the steps.
   */
  boolean extendsModel() {
    return method.modelExtension(Options.forProvider(methodOptions, method)).isPresent()
        || dynamics.modelExtension(Options.forProvider(dynamicsOptions(), dynamics)).isPresent();
  }

  /** The start of the refusal's message, which names both plugins. */
  String refusalPrefix() {
    return "hypergradient '"
        + method.name()
        + "' cannot be used with dynamics '"
        + dynamics.name()
        + "': ";
  }

  /** The method with its options, e.g. {@code rhg strategy=replay}. */
  String methodLabel() {
    StringBuilder label = new StringBuilder(method.name());
    new TreeMap<>(methodOptions)
        .forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
    return label.toString();
  }

  @Override
  public String toString() {
    return problem + ": " + methodLabel() + " + " + dynamics.name() + ", outer " + optimizer;
  }
}
