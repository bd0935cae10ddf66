package org.boml.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Plugin;
import org.boml.it.Combination.Data;
import org.boml.it.Combination.Problem;
import org.boml.runtime.plugin.PluginInfo;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;

/**
 * The axes of the plugin matrix: every hypergradient module and every lower-level dynamics found on
 * the module path (so that a plugin added as a dependency of this module joins the matrix by
 * itself), the problems, and the option sets each plugin runs with.
 *
 * <p>Which combinations are legal is not decided here: {@link Combination#reasons()} asks the
 * runtime's {@link org.boml.runtime.plugin.Compatibility}, that is what the plugins declare.
 */
final class MatrixPlugins {
  /**
   * The name of the meta-parameter that holds {@code log(lr)} with the option {@code lr-variable}.
   */
  static final String LOG_LR = "log_lr";

  private MatrixPlugins() {}

  /** Every hypergradient module on the module path, sorted by name. */
  static List<HypergradientModuleProvider> methods() {
    return providers(HypergradientModuleProvider.class);
  }

  /** Every lower-level dynamics on the module path, sorted by name. */
  static List<IterationModuleProvider> dynamics() {
    return providers(IterationModuleProvider.class);
  }

  private static <T extends Plugin> List<T> providers(Class<T> type) {
    return registry().plugins().stream()
        .map(PluginInfo::provider)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  static PluginRegistry registry() {
    return SinusoidTraining.plugins();
  }

  /**
   * The problems: sinusoid (MLP) in both families with two horizons, {@code T = 1} and {@code T =
   * 3}; Omniglot (conv net) and the task folders (ResNet) in both families with {@code T = 2}; the
   * quadratic problem with {@code T = 4}.
   */
  static List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    for (Family family : Family.values()) {
      problems.add(new Problem(Data.SINUSOID, family, 1));
      problems.add(new Problem(Data.SINUSOID, family, 3));
      problems.add(new Problem(Data.OMNIGLOT, family, 2));
      problems.add(new Problem(Data.TASK_FOLDERS, family, 2));
    }
    problems.add(new Problem(Data.QUADRATIC, null, 4));
    return problems;
  }

  /**
   * The option sets a method runs with. Every problem: {@code rhg} by graph, {@code trhg} with
   * {@code K = 1} (truncated wherever {@code T > 1}), {@code hoag} with enough conjugate-gradient
   * iterations and a tolerance of {@code 1e-12} (so that its solve is exact to the precision of the
   * check), {@code darts} with {@code epsilon-scale=1e-4} (its {@code O(eps^2)} error then lies far
   * below the check's tolerance also for cross-entropy heads), {@code fhg} allowed every
   * meta-parameter of the networks, and the defaults for any other method, a new plugin included.
   * The problems with {@link Data#everyOptionSet()} add: {@code rhg} by replay, {@code trhg} with
   * {@code K = T + 2}, {@code hoag} with warm start, {@code darts} with its defaults, {@code fhg
   * online}, and {@code warpgrad} with {@code init=none, weighting=increasing}.
   *
   * @param method the method's name
   * @param problem where it runs
   */
  static List<Map<String, String>> methodOptions(String method, Problem problem) {
    boolean every = problem.data().everyOptionSet();
    Map<String, String> hoag = Map.of("cg-iterations", "200", "tolerance", "1e-12");
    Map<String, String> fhg = Map.of("max-hyperparameters", "100000");
    List<Map<String, String>> sets =
        new ArrayList<>(
            switch (method) {
              case "rhg" -> List.of(Map.of("strategy", "graph"));
              case "trhg" -> List.of(Map.of("truncation", "1"));
              case "hoag" -> List.of(hoag);
              case "darts" -> List.of(Map.of("epsilon-scale", "1e-4"));
              case "fhg" -> List.of(fhg);
              default -> List.of(Map.<String, String>of());
            });
    if (every) {
      switch (method) {
        case "rhg" -> sets.add(Map.of("strategy", "replay"));
        case "trhg" -> sets.add(Map.of("truncation", Integer.toString(problem.steps() + 2)));
        case "hoag" -> sets.add(with(hoag, "warm-start", "true"));
        case "darts" -> sets.add(Map.of());
        case "fhg" -> sets.add(with(fhg, "online", "true"));
        case "warpgrad" -> sets.add(Map.of("init", "none", "weighting", "increasing"));
        default -> {
          // a method the matrix does not know runs with its defaults only
        }
      }
    }
    return sets;
  }

  /**
   * The option sets of a dynamics: the problem's step size {@code lr} where they have one. The
   * problems with {@link Data#everyOptionSet()} add a learned step size ({@code lr-variable}) to
   * {@code gd} and {@code momentum}, {@code bda} with {@code alpha=0.3, s_u=0.2}, scalar Meta-SGD,
   * and T-net ({@code mtnet masks=false}); and the hyperparameters the dynamics learn as
   * meta-parameters ({@link #learnedHyperparameters}).
   *
   * @param dynamics the dynamics
   * @param problem where it runs
   */
  static List<Map<String, String>> dynamicsOptions(
      IterationModuleProvider dynamics, Problem problem) {
    Map<String, String> base =
        dynamics.options().stream().anyMatch(o -> o.name().equals("lr"))
            ? Map.of("lr", problem.data().innerLearningRate())
            : Map.of();
    List<Map<String, String>> sets = new ArrayList<>(List.of(base));
    if (problem.data().everyOptionSet()) {
      switch (dynamics.name()) {
        case "gd", "momentum" -> sets.add(with(base, "lr-variable", LOG_LR));
        case "bda" -> sets.add(with(with(base, "alpha", "0.3"), "s_u", "0.2"));
        case "metasgd" -> sets.add(with(base, "scalar", "true"));
        case "mtnet" -> sets.add(with(base, "masks", "false"));
        default -> {
          // a dynamics the matrix does not know runs with its defaults only
        }
      }
      sets.addAll(learnedHyperparameters(dynamics.name(), base));
    }
    return sets;
  }

  /**
   * The option sets that make the dynamics' own hyperparameters meta-parameters, added to {@code x}
   * by the dynamics (docs/algorithms/&lt;dynamics&gt;.md): {@code gd.log-lr}, {@code
   * momentum.log-lr} with {@code momentum.logit-momentum}, {@code adam.log-lr}, the scalar {@code
   * bda.alpha}, the per-step {@code bda.alpha} with {@code bda.log-s_u}, and Meta-SGD's step sizes
   * drawn from {@code U[0.005, 0.1]}.
   *
   * @param dynamics the dynamics' name
   * @param base the option set they run with otherwise
   * @return the option sets, each {@code base} and the options that learn
   */
  static List<Map<String, String>> learnedHyperparameters(
      String dynamics, Map<String, String> base) {
    return switch (dynamics) {
      case "gd", "adam" -> List.of(with(base, "learn-lr", "true"));
      case "momentum" -> List.of(with(with(base, "learn-lr", "true"), "learn-momentum", "true"));
      case "bda" ->
          List.of(
              with(base, "learn-alpha", "true"),
              with(with(base, "learn-alpha", "per-step"), "learn-s", "true"));
      case "metasgd" -> List.of(with(base, "init", "uniform"));
      default -> List.of();
    };
  }

  /** Whether an option set of {@link #learnedHyperparameters} is one that learns. */
  static boolean learnsHyperparameters(Map<String, String> dynamicsOptions) {
    return dynamicsOptions.keySet().stream().anyMatch(key -> key.startsWith("learn-"))
        || "uniform".equals(dynamicsOptions.get("init"));
  }

  /**
   * The method option sets the dynamics with learned hyperparameters run with, to keep the matrix
   * short: {@code rhg} by graph, {@code trhg} with {@code K >= T}, {@code fhg} (not online), {@code
   * fmaml}, and every set of any other method (for {@code hoag}, {@code darts} and {@code warpgrad}
   * those are refusals, a new method's may be checked cells).
   *
   * @param method the method's name
   * @param options its option set
   * @param problem where it runs
   */
  static boolean runsWithLearnedHyperparameters(
      String method, Map<String, String> options, Problem problem) {
    return switch (method) {
      case "rhg" -> options.getOrDefault("strategy", "graph").equals("graph");
      case "trhg" -> Integer.parseInt(options.get("truncation")) >= problem.steps();
      case "fhg" -> !options.getOrDefault("online", "false").equals("true");
      default -> true;
    };
  }

  private static Map<String, String> with(Map<String, String> options, String key, String value) {
    Map<String, String> more = new java.util.TreeMap<>(options);
    more.put(key, value);
    return Map.copyOf(more);
  }
}
