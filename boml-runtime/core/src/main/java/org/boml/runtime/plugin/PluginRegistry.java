package org.boml.runtime.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelProvider;
import org.boml.api.Plugin;

/**
 * Finds every provider of the four BOML services: those on the module path (the boot layer) and
 * those in plugin directories, which are loaded into a child {@link ModuleLayer}. Dropping a plugin
 * jar into such a directory is all a user does.
 *
 * <p>Providers that cannot be used are refused, with a reason that names their jar: a provider
 * built against another major version of the API (or a newer minor one), two providers of the same
 * kind and name, a corrupt jar, a module that cannot be resolved (a library it needs is missing), a
 * provider whose {@code name()}, {@code description()}, {@code options()} or another method of
 * {@link Plugin} throws or returns null. Each is refused alone: the other jars of its directory
 * still load. {@link #problems()} lists them, {@link #warnAboutRefusals} reports them and a run
 * goes on without them; a name that is not found is reported with the refusals as a possible cause.
 *
 * <p>This class is the facade of the package's discovery steps, each a class of its own: the module
 * layer of the plugin directories ({@code PluginLayer}, over {@code PluginJars}), service loading
 * with the refusal of providers that fail or misbehave ({@code ProviderLoader}, {@code
 * ProviderCheck}), the API-version policy ({@code ApiVersionPolicy}), duplicate rejection ({@code
 * DuplicatePolicy}) and lookup by name ({@code PluginLookup}).
 */
public final class PluginRegistry {
  /** Environment variable with plugin directories, separated by the path separator. */
  public static final String PLUGINS_ENV = "BOML_PLUGINS";

  private final PluginLookup lookup;

  private PluginRegistry(PluginLookup lookup) {
    this.lookup = lookup;
  }

  /**
   * Discovers providers on the module path and in the directories of {@value #PLUGINS_ENV}.
   *
   * @return the registry
   */
  public static PluginRegistry discover() {
    return discover(directoriesFromEnvironment());
  }

  /**
   * The plugin directories named by {@value #PLUGINS_ENV}.
   *
   * @return the directories, possibly none
   */
  public static List<Path> directoriesFromEnvironment() {
    String value = System.getenv(PLUGINS_ENV);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Stream.of(value.split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .collect(Collectors.toList());
  }

  /**
   * Discovers providers on the module path and in the given plugin directories.
   *
   * @param pluginDirectories directories of plugin jars (and their own dependencies)
   * @return the registry
   * @throws PluginException if a directory does not exist, or its modules each resolve but not
   *     together
   */
  public static PluginRegistry discover(List<Path> pluginDirectories) {
    List<String> problems = new ArrayList<>();
    Optional<ModuleLayer> layer = PluginLayer.of(pluginDirectories, problems);
    List<PluginInfo> found = ProviderLoader.load(layer, problems);
    List<PluginInfo> compatible = ApiVersionPolicy.current().accepted(found, problems);
    List<PluginInfo> unique = DuplicatePolicy.unique(compatible, problems);
    return new PluginRegistry(new PluginLookup(unique, problems));
  }

  /**
   * The usable providers, sorted by kind and name.
   *
   * @return the providers
   */
  public List<PluginInfo> plugins() {
    return lookup.plugins();
  }

  /**
   * Why providers or jars were refused.
   *
   * @return one message per refusal, each naming the jar
   */
  public List<String> problems() {
    return lookup.problems();
  }

  /**
   * Reports every refusal, one warning each, naming the jar and the reason: a command then goes on
   * with the plugins that were loaded. A refused plugin that the command asks for is an unknown
   * name ({@link #find}), whose error names the refusals.
   *
   * @param warn where the warnings go
   */
  public void warnAboutRefusals(Consumer<String> warn) {
    for (String problem : problems()) {
      warn.accept("a plugin was refused and is left out (boml plugins lists it): " + problem);
    }
  }

  /**
   * The provider of a kind with a name.
   *
   * @param type the provider interface
   * @param name the provider's name
   * @param <T> the provider type
   * @return the provider
   * @throws PluginException naming the available providers and the nearest name
   */
  public <T extends Plugin> T find(Class<T> type, String name) {
    return lookup.find(type, name);
  }

  /**
   * An iteration-module provider by name.
   *
   * @param name e.g. {@code gd}
   * @return the provider
   */
  public IterationModuleProvider iteration(String name) {
    return find(IterationModuleProvider.class, name);
  }

  /**
   * Every iteration-module provider, sorted by name.
   *
   * @return the providers
   */
  public List<IterationModuleProvider> iterations() {
    return lookup.all(IterationModuleProvider.class);
  }

  /**
   * A hypergradient provider by name.
   *
   * @param name e.g. {@code rhg}
   * @return the provider
   */
  public HypergradientModuleProvider hypergradient(String name) {
    return find(HypergradientModuleProvider.class, name);
  }

  /**
   * A dataset provider by name.
   *
   * @param name e.g. {@code sinusoid}
   * @return the provider
   */
  public DatasetProvider dataset(String name) {
    return find(DatasetProvider.class, name);
  }

  /**
   * A model provider by name.
   *
   * @param name e.g. {@code mlp}
   * @return the provider
   */
  public ModelProvider model(String name) {
    return find(ModelProvider.class, name);
  }
}
