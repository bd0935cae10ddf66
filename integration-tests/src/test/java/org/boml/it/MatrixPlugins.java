package org.boml.it;

import java.util.List;
import java.util.Map;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Plugin;
import org.boml.runtime.plugin.PluginInfo;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.train.OuterOptimizer;

/**
 * The axes of the plugin matrix: every hypergradient module and every lower-level dynamics found on
 * the module path (so that a plugin added as a dependency of this module joins the matrix by
 * itself), the three outer optimizers, and the options each method runs with.
 *
 * <p>Which combinations are legal is not decided here: {@link Combination#reasons()} asks the
 * runtime's {@link org.boml.runtime.plugin.Compatibility}, that is what the plugins declare.
 */
final class MatrixPlugins {
  /** The outer optimizers, by the names of {@code --optimizer}. */
  static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam");

  /** The lower-level step size of every dynamics that has an {@code lr} option. */
  static final String INNER_LEARNING_RATE = "0.1";

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
   * The option sets a method runs with: each reverse-pass strategy of {@code rhg}; {@code trhg}
   * truncated to half the steps it is given; {@code hoag} with a few conjugate-gradient iterations;
   * {@code fhg} allowed as many hyperparameters as the Omniglot runs give it (see {@link
   * #omniglotFilters(String)}); and the defaults for any other method, a new plugin included.
   *
   * @param method the method's name
   * @param steps the number of lower-level steps of the runs
   */
  static List<Map<String, String>> methodOptions(String method, int steps) {
    return switch (method) {
      case "rhg" -> List.of(Map.of("strategy", "graph"), Map.of("strategy", "replay"));
      case "trhg" -> List.of(Map.of("truncation", Integer.toString(Math.max(1, steps / 2))));
      case "hoag" -> List.of(Map.of("cg-iterations", "5"));
      case "fhg" -> List.of(Map.of("max-hyperparameters", "256"));
      default -> List.of(Map.of());
    };
  }

  /**
   * The width of the Omniglot conv net for a method: 8 filters, but 1 for {@code fhg}, whose
   * forward mode carries one tangent per scalar meta-parameter (54 of them with 1 filter and 3
   * ways, 108 with Meta-SGD's step sizes, against some 1,900 with 8 filters).
   *
   * @param method the method's name
   */
  static int omniglotFilters(String method) {
    return method.equals("fhg") ? 1 : 8;
  }

  /** The dynamics' options: the step size {@link #INNER_LEARNING_RATE} where they have one. */
  static Map<String, String> dynamicsOptions(IterationModuleProvider dynamics) {
    return dynamics.options().stream().anyMatch(o -> o.name().equals("lr"))
        ? Map.of("lr", INNER_LEARNING_RATE)
        : Map.of();
  }

  /** A fresh outer optimizer by the name of {@code --optimizer}. */
  static OuterOptimizer optimizer(String name) {
    return switch (name) {
      case "sgd" -> OuterOptimizer.sgd();
      case "momentum" -> OuterOptimizer.momentum(0.9);
      case "adam" -> OuterOptimizer.adam();
      default -> throw new IllegalArgumentException("unknown outer optimizer " + name);
    };
  }
}
