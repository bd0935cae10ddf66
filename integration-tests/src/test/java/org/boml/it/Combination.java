package org.boml.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.problem.Family;

/**
 * One cell of the plugin matrix: a problem (data, model, family, horizon), a hypergradient module
 * with its options and lower-level dynamics with theirs. Whether it is legal is what the runtime's
 * {@link Compatibility} says of the plugins' declarations.
 *
 * @param problem where it runs
 * @param method the hypergradient module's provider
 * @param methodOptions its options
 * @param dynamics the dynamics' provider
 * @param dynamicsOptions their options
 */
record Combination(
    Problem problem,
    HypergradientModuleProvider method,
    Map<String, String> methodOptions,
    IterationModuleProvider dynamics,
    Map<String, String> dynamicsOptions) {

  /** The data and model of a problem, each with the inner step size its dynamics use. */
  enum Data {
    /** Sinusoid regression on an MLP with one hidden layer of 4 units (every option set). */
    SINUSOID("sinusoid mlp", "0.02", true),
    /** Real Omniglot, 3-way 1-shot at 14x14, on a Conv-3 of 2 filters (default option sets). */
    OMNIGLOT("omniglot convnet", "0.1", false),
    /** The task folders of {@code fixtures/tasks} on a ResNet of one block of width 2. */
    TASK_FOLDERS("task folders resnet", "0.1", false),
    /**
     * {@link org.boml.testkit.QuadraticProblem}, a problem of one's own whose {@code x} enters only
     * {@code f}, declared as such so that the requirements on problems are checked (every option
     * set).
     */
    QUADRATIC("quadratic", "0.1", true);

    private final String label;
    private final String innerLearningRate;
    private final boolean everyOptionSet;

    Data(String label, String innerLearningRate, boolean everyOptionSet) {
      this.label = label;
      this.innerLearningRate = innerLearningRate;
      this.everyOptionSet = everyOptionSet;
    }

    /** The step size {@code lr} of every dynamics that has one. */
    String innerLearningRate() {
      return innerLearningRate;
    }

    /** Whether the cells run every option set of {@link MatrixPlugins}, or the defaults only. */
    boolean everyOptionSet() {
      return everyOptionSet;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * Where a cell runs.
   *
   * @param data the data and model
   * @param family the family, {@code null} for the quadratic problem
   * @param steps the number of lower-level steps {@code T}
   */
  record Problem(Data data, Family family, int steps) implements Comparable<Problem> {
    /** What the problem supplies, as the runtime checks it. */
    Compatibility.ProblemKind kind() {
      return family == null
          ? Compatibility.ProblemKind.declared(
              "the quadratic problem (x enters only f)", Set.of(Capabilities.X_IN_LOWER_OBJECTIVE))
          : Compatibility.ProblemKind.of(family);
    }

    @Override
    public int compareTo(Problem other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return data + (family == null ? "" : " " + family) + " T=" + steps;
    }
  }

  /**
   * Every combination of the discovered methods and dynamics, each with the option sets of {@link
   * MatrixPlugins} for the problem.
   */
  static List<Combination> all(Problem problem) {
    List<Combination> cells = new ArrayList<>();
    for (HypergradientModuleProvider method : MatrixPlugins.methods()) {
      for (Map<String, String> options : MatrixPlugins.methodOptions(method.name(), problem)) {
        for (IterationModuleProvider dynamics : MatrixPlugins.dynamics()) {
          for (Map<String, String> dynamicsOptions :
              MatrixPlugins.dynamicsOptions(dynamics, problem)) {
            if (!MatrixPlugins.learnsHyperparameters(dynamicsOptions)
                || MatrixPlugins.runsWithLearnedHyperparameters(method.name(), options, problem)) {
              cells.add(new Combination(problem, method, options, dynamics, dynamicsOptions));
            }
          }
        }
      }
    }
    return cells;
  }

  private Compatibility compatibility() {
    return new Compatibility(
        method,
        methodOptions,
        dynamics,
        dynamicsOptions,
        problem.steps(),
        problem.kind(),
        MatrixPlugins.dynamics());
  }

  /** Why the runtime must refuse this combination; empty if it is legal. */
  List<String> reasons() {
    return compatibility().reasons();
  }

  /** Whether the plugins declare that this combination works. */
  boolean legal() {
    return reasons().isEmpty();
  }

  /** The method's options as the runtime resolves them (e.g. {@code darts}' {@code lr}). */
  Map<String, String> resolvedMethodOptions() {
    return compatibility().resolvedMethodOptions();
  }

  /**
   * Whether the method or the dynamics adds parameters to the model ({@code metasgd}'s step sizes,
   * {@code mtnet}'s transforms, {@code warpgrad}'s warp layers, a learned hyperparameter such as
   * {@code gd.log-lr}); a model takes one extension at most.
   */
  boolean extendsModel() {
    return methodExtends() || dynamicsExtension().isPresent();
  }

  /** Whether both the method and the dynamics add parameters to the model, which is refused. */
  boolean extendsModelTwice() {
    return methodExtends() && dynamicsExtension().isPresent();
  }

  /**
   * Whether the cell needs a model: the method adds parameters to one, or the dynamics do with
   * their default options ({@code metasgd}, {@code mtnet}). The quadratic problem has none; what
   * the dynamics add only through a {@code learn-...} option (learned scalars that never enter the
   * model's forward pass) {@code HyperparameterOptimizer} appends to a problem of one's own.
   */
  boolean needsModel() {
    return methodExtends()
        || dynamics.modelExtension(Options.forProvider(Map.of(), dynamics)).isPresent();
  }

  /** What the dynamics add to the meta-parameters for this horizon, if anything. */
  Optional<ModelExtension> dynamicsExtension() {
    return dynamics.modelExtension(Options.forProvider(dynamicsOptions, dynamics), problem.steps());
  }

  private boolean methodExtends() {
    return method.modelExtension(Options.forProvider(methodOptions, method)).isPresent();
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
    return label(method.name(), methodOptions);
  }

  /** The dynamics with their options, e.g. {@code bda alpha=0.3 lr=0.02 s_u=0.2}. */
  String dynamicsLabel() {
    return label(dynamics.name(), dynamicsOptions);
  }

  private static String label(String name, Map<String, String> options) {
    StringBuilder label = new StringBuilder(name);
    new TreeMap<>(options).forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
    return label.toString();
  }

  @Override
  public String toString() {
    return problem + ": " + methodLabel() + " + " + dynamicsLabel();
  }
}
