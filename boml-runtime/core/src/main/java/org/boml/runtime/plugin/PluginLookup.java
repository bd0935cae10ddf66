package org.boml.runtime.plugin;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.boml.api.Plugin;
import org.boml.api.PluginKind;
import org.boml.runtime.NearestName;

/**
 * Finds a usable provider by its service and name. A name that is not there is an error that names
 * the kind, suggests the nearest name ("did you mean"), lists the available names and, where
 * providers were refused, gives the refusal that names it, or else every refusal as a possible
 * cause.
 */
final class PluginLookup {
  private final List<PluginInfo> plugins;
  private final List<String> problems;

  /**
   * A lookup over the usable providers.
   *
   * @param plugins the usable providers, one per kind and name
   * @param problems why providers or jars were refused
   */
  PluginLookup(List<PluginInfo> plugins, List<String> problems) {
    this.plugins =
        plugins.stream()
            .sorted(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name))
            .toList();
    this.problems = List.copyOf(problems);
  }

  /**
   * The usable providers, sorted by kind and name.
   *
   * @return the providers
   */
  List<PluginInfo> plugins() {
    return plugins;
  }

  /**
   * Why providers or jars were refused.
   *
   * @return one message per refusal
   */
  List<String> problems() {
    return problems;
  }

  /**
   * Every provider of a service, sorted by name.
   *
   * @param type the provider interface
   * @param <T> the provider type
   * @return the providers
   */
  <T extends Plugin> List<T> all(Class<T> type) {
    return plugins.stream()
        .map(PluginInfo::provider)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  /**
   * The provider of a service with a name.
   *
   * @param type the provider interface
   * @param name the provider's name
   * @param <T> the provider type
   * @return the provider
   * @throws PluginException naming the available providers and the nearest name
   */
  <T extends Plugin> T find(Class<T> type, String name) {
    List<PluginInfo> ofType = plugins.stream().filter(p -> type.isInstance(p.provider())).toList();
    for (PluginInfo info : ofType) {
      if (info.name().equals(name)) {
        return type.cast(info.provider());
      }
    }
    Set<String> names =
        ofType.stream().map(PluginInfo::name).collect(Collectors.toCollection(TreeSet::new));
    List<String> naming = problems.stream().filter(p -> p.contains("'" + name + "'")).toList();
    String refused =
        !naming.isEmpty()
            ? " (" + naming.get(0) + ")"
            : problems.isEmpty()
                ? ""
                : " (it may be in a jar that was refused: " + String.join("; ", problems) + ")";
    throw new PluginException(
        "Unknown "
            + kindWord(type)
            + " '"
            + name
            + "'"
            + refused
            + NearestName.hint(name, names)
            + (NearestName.of(name, names).isPresent() ? "" : ".")
            + " Available: "
            + (names.isEmpty() ? "none" : String.join(", ", names))
            + ". Run './boml plugins' to list every plugin.");
  }

  /** The words of the service's kind, e.g. {@code hypergradient module}, else {@code plugin}. */
  private static String kindWord(Class<?> type) {
    for (PluginKind kind : PluginKind.values()) {
      if (ProviderLoader.service(kind).equals(type)) {
        return PluginIdentity.word(kind);
      }
    }
    return "plugin";
  }
}
