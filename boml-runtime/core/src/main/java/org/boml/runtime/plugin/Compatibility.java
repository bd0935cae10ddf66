package org.boml.runtime.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Options;
import org.boml.runtime.problem.Family;

/**
 * Whether a hypergradient module can work with lower-level dynamics, a number of steps and a kind
 * of problem, by what the plugins declare ({@link Capabilities}): every requirement of the
 * hypergradient provider ({@link HypergradientModuleProvider#requirements(Options)}) must be a
 * capability of the dynamics ({@link IterationModuleProvider#capabilities(Options)}) or, for the
 * {@link Capabilities#OF_PROBLEM} words, of the problem; {@code T} must be at least the module's
 * {@link HypergradientModuleProvider#minimumSteps(Options) minimum}; and every {@link
 * HypergradientModuleProvider#sharedDynamicsOptions() shared option} must agree with the dynamics'
 * option of that name; and at most one of the two may add parameters to the model ({@link
 * org.boml.api.ModelExtension}).
 *
 * <p>A refusal names both plugins, each missing word with its meaning, and the dynamics (among
 * those given as alternatives, with their default options) that would provide it.
 *
 * @param method the hypergradient provider
 * @param methodOptions its options as given
 * @param dynamics the dynamics provider
 * @param dynamicsOptions its options as given
 * @param steps the number of lower-level steps {@code T}
 * @param problem what the problem supplies, or {@code null} when unknown (then the {@link
 *     Capabilities#OF_PROBLEM} requirements are not checked)
 * @param alternatives the dynamics to suggest in a refusal, e.g. those of a {@link PluginRegistry}
 */
public record Compatibility(
    HypergradientModuleProvider method,
    Map<String, String> methodOptions,
    IterationModuleProvider dynamics,
    Map<String, String> dynamicsOptions,
    int steps,
    ProblemKind problem,
    Collection<IterationModuleProvider> alternatives) {

  private static final Map<String, String> MEANINGS =
      Map.of(
          Capabilities.DIFFERENTIABLE_STEPS,
              "steps whose graph is the exact map, to differentiate through",
          Capabilities.GRADIENT_STEP,
              "every step y - lr grad_y f(x, y) with the constant step size of option lr",
          Capabilities.SINGLE_STATE, "a state of the base parameters only",
          Capabilities.STATIONARY_LIMIT, "iterates whose limit is a stationary point of f",
          Capabilities.STEPS_WITHOUT_META_PARAMETERS,
              "steps that read no meta-parameter of their own, such as a learned step size",
          Capabilities.X_IN_LOWER_OBJECTIVE,
              "meta-parameters that enter the lower-level objective f itself",
          Capabilities.X_BEYOND_LOWER_OBJECTIVE,
              "meta-parameters that all reach F or y_0, not only f",
          Capabilities.ADAPTED_FEATURES,
              "lower-level steps that adapt the layers below the output layer");

  /**
   * What a kind of problem supplies.
   *
   * @param description what it is, for messages, e.g. {@code the meta-init family}
   * @param capabilities its {@link Capabilities#OF_PROBLEM} capabilities
   * @param remedy what to use instead when a requirement is missing
   */
  public record ProblemKind(String description, Set<String> capabilities, String remedy) {
    /** Copies the capabilities. */
    public ProblemKind {
      Objects.requireNonNull(description, "description");
      capabilities = Set.copyOf(capabilities);
      Objects.requireNonNull(remedy, "remedy");
    }

    /**
     * The problems of a family of the meta-training loop: meta-feature problems have {@link
     * Capabilities#X_IN_LOWER_OBJECTIVE}, meta-initialization ones {@link
     * Capabilities#ADAPTED_FEATURES}, and both {@link Capabilities#X_BEYOND_LOWER_OBJECTIVE}.
     *
     * @param family the family
     * @return what its problems supply
     */
    public static ProblemKind of(Family family) {
      return family == Family.META_FEATURE
          ? new ProblemKind(
              "the meta-feature family (only the head is adapted)",
              Set.of(Capabilities.X_IN_LOWER_OBJECTIVE, Capabilities.X_BEYOND_LOWER_OBJECTIVE),
              "use the meta-init family instead (Family.META_INITIALIZATION)")
          : new ProblemKind(
              "the meta-init family (x reaches f only through y_0 = x)",
              Set.of(Capabilities.ADAPTED_FEATURES, Capabilities.X_BEYOND_LOWER_OBJECTIVE),
              "use the meta-feature family instead (Family.META_FEATURE)");
    }

    /**
     * A problem of one's own (a {@link org.boml.runtime.problem.Bilevel} for {@link
     * org.boml.runtime.train.HyperparameterOptimizer}) as its author declares it, so that the
     * requirements on the problem are checked too.
     *
     * @param description what it is, for messages, e.g. {@code ridge regression (x enters only f)}
     * @param capabilities the {@link Capabilities#OF_PROBLEM} words it supplies
     * @return what the problem supplies
     */
    public static ProblemKind declared(String description, Set<String> capabilities) {
      return new ProblemKind(
          description,
          capabilities,
          "use a hypergradient that differentiates through f (rhg, trhg or fhg require nothing of"
              + " the problem)");
    }
  }

  /** Copies the options and the alternatives. */
  public Compatibility {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(dynamics, "dynamics");
    methodOptions = Map.copyOf(methodOptions);
    dynamicsOptions = Map.copyOf(dynamicsOptions);
    alternatives = List.copyOf(alternatives);
  }

  /**
   * Every reason why the combination cannot work.
   *
   * @return the reasons, empty if it can
   * @throws IllegalArgumentException if an option is not one the provider declares
   */
  public List<String> reasons() {
    Options methodSettings = Options.forProvider(methodOptions, method);
    Options dynamicsSettings = Options.forProvider(dynamicsOptions, dynamics);
    List<String> reasons = new ArrayList<>();
    int minimum = method.minimumSteps(methodSettings);
    if (steps < minimum) {
      reasons.add(
          "it needs at least "
              + minimum
              + " lower-level step(s), T >= "
              + minimum
              + ", but T = "
              + steps
              + " (take more lower-level steps)");
    }
    Set<String> required = new TreeSet<>(method.requirements(methodSettings));
    Set<String> provided = dynamics.capabilities(dynamicsSettings);
    Set<String> missingFromDynamics = new TreeSet<>();
    Set<String> missingFromProblem = new TreeSet<>();
    for (String word : required) {
      if (Capabilities.OF_PROBLEM.contains(word)) {
        if (problem != null && !problem.capabilities().contains(word)) {
          missingFromProblem.add(word);
        }
      } else if (!provided.contains(word)) {
        missingFromDynamics.add(word);
      }
    }
    if (!missingFromDynamics.isEmpty()) {
      reasons.add(
          "it requires "
              + explain(missingFromDynamics)
              + ", which '"
              + dynamics.name()
              + "'"
              + (dynamicsOptions.isEmpty()
                  ? ""
                  : " with options "
                      + new TreeSet<>(
                          dynamicsOptions.entrySet().stream()
                              .map(e -> e.getKey() + "=" + e.getValue())
                              .toList()))
              + " does not provide (it provides "
              + (provided.isEmpty() ? "nothing" : new TreeSet<>(provided))
              + "); "
              + suggestions(missingFromDynamics));
    }
    if (!missingFromProblem.isEmpty()) {
      reasons.add(
          "it requires "
              + explain(missingFromProblem)
              + ", which "
              + problem.description()
              + " does not provide"
              + (problem.remedy().isEmpty() ? "" : ": " + problem.remedy()));
    }
    if (method.modelExtension(methodSettings).isPresent()
        && dynamics.modelExtension(dynamicsSettings, steps).isPresent()) {
      reasons.add(
          "both add parameters to the model (ModelExtension), and only one method may extend it;"
              + " use the dynamics with a hypergradient method that adds none (e.g. rhg), or the"
              + " method with dynamics that add none (e.g. gd)");
    }
    for (String key : new TreeSet<>(method.sharedDynamicsOptions())) {
      if (dynamics.options().stream().noneMatch(o -> o.name().equals(key))) {
        reasons.add(
            "its option "
                + key
                + " must equal the dynamics' option "
                + key
                + ", which '"
                + dynamics.name()
                + "' does not have");
      } else if (methodOptions.containsKey(key)
          && !sameValue(methodOptions.get(key), dynamicsSettings.get(key))) {
        reasons.add(
            "its option "
                + key
                + "="
                + methodOptions.get(key)
                + " must equal the dynamics' "
                + key
                + "="
                + dynamicsSettings.get(key)
                + " (leave it unset to take the dynamics' value)");
      }
    }
    return reasons;
  }

  /**
   * Refuses an impossible combination.
   *
   * @throws IncompatiblePluginsException naming both plugins and every reason
   */
  public void require() {
    List<String> reasons = reasons();
    if (!reasons.isEmpty()) {
      throw new IncompatiblePluginsException(
          "hypergradient '"
              + method.name()
              + "' cannot be used with dynamics '"
              + dynamics.name()
              + "': "
              + String.join("; ", reasons)
              + ".");
    }
  }

  /**
   * The hypergradient options with every shared option that was not given set to the dynamics'
   * value (given or default).
   *
   * @return the options to create the hypergradient module with
   */
  public Map<String, String> resolvedMethodOptions() {
    Map<String, String> resolved = new LinkedHashMap<>(methodOptions);
    Options dynamicsSettings = Options.forProvider(dynamicsOptions, dynamics);
    for (String key : method.sharedDynamicsOptions()) {
      if (!resolved.containsKey(key)
          && dynamics.options().stream().anyMatch(o -> o.name().equals(key))) {
        resolved.put(key, dynamicsSettings.get(key));
      }
    }
    return resolved;
  }

  private static String explain(Set<String> words) {
    return words.stream()
        .map(w -> MEANINGS.containsKey(w) ? w + " (" + MEANINGS.get(w) + ")" : w)
        .collect(Collectors.joining(" and "));
  }

  private String suggestions(Set<String> missing) {
    Set<String> names = new TreeSet<>();
    for (IterationModuleProvider candidate : alternatives) {
      if (candidate.capabilities(Options.forProvider(Map.of(), candidate)).containsAll(missing)) {
        names.add(candidate.name());
      }
    }
    if (names.isEmpty()) {
      return "no available dynamics provides " + (missing.size() == 1 ? "it" : "them");
    }
    return "dynamics that do, with their default options: " + String.join(", ", names);
  }

  /** Equal as numbers when both are numbers, else as strings. */
  private static boolean sameValue(String a, String b) {
    try {
      return Double.parseDouble(a.trim()) == Double.parseDouble(b.trim());
    } catch (NumberFormatException e) {
      return a.trim().equals(b.trim());
    }
  }
}
