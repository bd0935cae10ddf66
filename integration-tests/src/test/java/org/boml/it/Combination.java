package org.boml.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
     * org.boml.runtime.train.HyperparameterOptimizer}, which cannot know how {@code x} enters a
     * user's problem and so checks no requirement on the problem. With 100 steps of size 0.1 every
     * dynamics comes close to the lower-level solution, so that the approximate methods ({@code
     * hoag}, {@code trhg}, {@code darts}) point downhill too.
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

    /** What the problem supplies, as the runtime checks it; {@code null} when it checks nothing. */
    Compatibility.ProblemKind kind() {
      return family == null ? null : Compatibility.ProblemKind.of(family);
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
   * Why this legal combination has an identically zero hypergradient, if it is one of the two gaps
   * in what the plugins can declare (reported to their owners): on the quadratic problem {@code x}
   * enters neither {@code Psi_0} nor {@code F}, and {@code fmaml}'s {@code partial_x F + (dPsi_0 /
   * dx)^T grad_y F} looks nowhere else; with meta-initialization {@code x} enters only {@code
   * Psi_0}, which {@code trhg} with {@code K < T} drops. Neither can be declared: {@code fmaml}
   * works in both families, and a requirement that depends on {@code T} has no word. The matrix
   * checks that these cells stay exactly zero, so that a fix of the declarations or of the methods
   * shows up here.
   */
  Optional<String> declarationGap() {
    if (method.name().equals("fmaml") && problem == Problem.QUADRATIC) {
      return Optional.of("fmaml: x enters neither Psi_0 nor F");
    }
    if (method.name().equals("trhg")
        && problem.family() == Family.META_INITIALIZATION
        && !extendsModel()
        && Integer.parseInt(methodOptions.getOrDefault("truncation", "0")) < problem.steps()) {
      return Optional.of("trhg K < T: x enters only Psi_0, which truncation drops");
    }
    return Optional.empty();
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
