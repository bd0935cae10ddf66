package org.boml.runtime.plugin;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.BomlApi;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelProvider;
import org.boml.api.Plugin;
import org.boml.api.PluginKind;
import org.boml.runtime.NearestName;

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
 */
public final class PluginRegistry {
  /** Environment variable with plugin directories, separated by the path separator. */
  public static final String PLUGINS_ENV = "BOML_PLUGINS";

  private static final List<Class<? extends Plugin>> SERVICES =
      List.of(
          IterationModuleProvider.class,
          HypergradientModuleProvider.class,
          DatasetProvider.class,
          ModelProvider.class);

  /** The kind of each of {@link #SERVICES}, in the same order. */
  private static final List<PluginKind> KINDS =
      List.of(PluginKind.ITERATION, PluginKind.HYPERGRADIENT, PluginKind.DATASET, PluginKind.MODEL);

  private final List<PluginInfo> plugins;
  private final List<String> problems;

  private PluginRegistry(List<PluginInfo> plugins, List<String> problems) {
    this.plugins = List.copyOf(plugins);
    this.problems = List.copyOf(problems);
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
    Optional<ModuleLayer> layer = pluginLayer(pluginDirectories, problems);
    List<PluginInfo> found = new ArrayList<>();
    for (Class<? extends Plugin> service : SERVICES) {
      load(service, layer, found, problems);
    }
    List<PluginInfo> accepted = new ArrayList<>();
    for (PluginInfo info : found) {
      incompatibility(info).ifPresentOrElse(problems::add, () -> accepted.add(info));
    }
    return new PluginRegistry(rejectDuplicates(accepted, problems), problems);
  }

  /**
   * The usable providers, sorted by kind and name.
   *
   * @return the providers
   */
  public List<PluginInfo> plugins() {
    return plugins;
  }

  /**
   * Why providers or jars were refused.
   *
   * @return one message per refusal, each naming the jar
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * Reports every refusal, one warning each, naming the jar and the reason: a command then goes on
   * with the plugins that were loaded. A refused plugin that the command asks for is an unknown
   * name ({@link #find}), whose error names the refusals.
   *
   * @param warn where the warnings go
   */
  public void warnAboutRefusals(Consumer<String> warn) {
    for (String problem : problems) {
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
    return plugins.stream()
        .map(PluginInfo::provider)
        .filter(IterationModuleProvider.class::isInstance)
        .map(IterationModuleProvider.class::cast)
        .toList();
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

  private static String kindWord(Class<?> type) {
    int index = SERVICES.indexOf(type);
    return index < 0 ? "plugin" : PluginIdentity.word(KINDS.get(index));
  }

  private static Optional<ModuleLayer> pluginLayer(List<Path> directories, List<String> problems) {
    if (directories.isEmpty()) {
      return Optional.empty();
    }
    if (!PluginRegistry.class.getModule().isNamed()) {
      throw new PluginException(
          "Plugin directories "
              + directories
              + " need the BOML runtime on the module path (it is on the class path); use ./boml"
              + " or start java with --module-path");
    }
    Map<String, Path> jarsByModule = new LinkedHashMap<>();
    for (Path directory : directories) {
      for (Path jar : jarsIn(directory)) {
        readModuleName(jar, problems)
            .ifPresent(name -> addModule(name, jar, jarsByModule, problems));
      }
    }
    refuseUnresolvable(jarsByModule, problems);
    if (jarsByModule.isEmpty()) {
      return Optional.empty();
    }
    ModuleLayer boot = ModuleLayer.boot();
    try {
      Configuration configuration =
          boot.configuration()
              .resolveAndBind(finderOf(jarsByModule), ModuleFinder.of(), jarsByModule.keySet());
      return Optional.of(
          boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader()));
    } catch (ResolutionException | FindException | LayerInstantiationException e) {
      throw new PluginException(
          "The plugin jars in " + directories + " cannot be loaded together: " + e.getMessage(), e);
    }
  }

  /**
   * Removes, with a problem naming its jar, every module that cannot be resolved on its own against
   * the boot layer and the other plugin jars: one that requires a module no jar provides (a library
   * the plugin did not ship), or one that requires such a module. What is left is loaded; only
   * modules that resolve alone but conflict with each other still fail together.
   */
  private static void refuseUnresolvable(Map<String, Path> jarsByModule, List<String> problems) {
    boolean removed = true;
    while (removed && !jarsByModule.isEmpty()) {
      removed = false;
      ModuleFinder finder = finderOf(jarsByModule);
      for (String module : List.copyOf(jarsByModule.keySet())) {
        try {
          ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(module));
        } catch (ResolutionException | FindException e) {
          Path jar = jarsByModule.remove(module);
          problems.add(
              "plugin jar "
                  + jar
                  + " (module '"
                  + module
                  + "') cannot be loaded: "
                  + e.getMessage()
                  + "; put the jars it needs into a plugin directory too, or remove it");
          removed = true;
        }
      }
    }
  }

  private static ModuleFinder finderOf(Map<String, Path> jarsByModule) {
    return ModuleFinder.of(jarsByModule.values().toArray(new Path[0]));
  }

  private static List<Path> jarsIn(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new PluginException(
          "Plugin directory '"
              + directory
              + "' does not exist or is not a directory (from --plugins or "
              + PLUGINS_ENV
              + ")");
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(p -> p.getFileName().toString().endsWith(".jar"))
          .sorted(Comparator.comparing(Path::toString))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new PluginException(
          "Cannot list plugin directory '" + directory + "': " + e.getMessage(), e);
    }
  }

  private static Optional<String> readModuleName(Path jar, List<String> problems) {
    try {
      Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
      return found.stream().findFirst().map(ref -> ref.descriptor().name());
    } catch (FindException | SecurityException e) {
      problems.add(
          "corrupt or unreadable plugin jar "
              + jar
              + ": "
              + rootMessage(e)
              + "; replace it with a good copy");
      return Optional.empty();
    }
  }

  private static void addModule(
      String name, Path jar, Map<String, Path> jarsByModule, List<String> problems) {
    Optional<Module> loaded = ModuleLayer.boot().findModule(name);
    if (loaded.isPresent()) {
      problems.add(
          "plugin jar "
              + jar
              + " holds module '"
              + name
              + "', which is already loaded from "
              + PluginIdentity.locationOf(loaded.get())
              + "; remove one of the two");
      return;
    }
    Path previous = jarsByModule.putIfAbsent(name, jar);
    if (previous != null) {
      problems.add(
          "module '"
              + name
              + "' is in two plugin jars: "
              + previous
              + " and "
              + jar
              + "; remove one");
    }
  }

  private static <T extends Plugin> void load(
      Class<T> service,
      Optional<ModuleLayer> layer,
      List<PluginInfo> found,
      List<String> problems) {
    ServiceLoader<T> loader =
        layer.isPresent()
            ? ServiceLoader.load(layer.get(), service)
            : PluginRegistry.class.getModule().isNamed()
                ? ServiceLoader.load(ModuleLayer.boot(), service)
                : ServiceLoader.load(service, PluginRegistry.class.getClassLoader());
    Iterator<ServiceLoader.Provider<T>> providers = loader.stream().iterator();
    while (true) {
      ServiceLoader.Provider<T> provider;
      try {
        if (!providers.hasNext()) {
          break;
        }
        provider = providers.next();
      } catch (ServiceConfigurationError e) {
        problems.add("a " + service.getSimpleName() + " could not be loaded: " + rootMessage(e));
        continue;
      }
      try {
        T instance = provider.get();
        misbehaviour(instance)
            .ifPresentOrElse(
                why ->
                    problems.add(
                        "provider "
                            + provider.type().getName()
                            + " in "
                            + PluginIdentity.locationOf(provider.type())
                            + " is refused: "
                            + why
                            + "; fix or remove the plugin"),
                () ->
                    found.add(
                        new PluginInfo(
                            instance,
                            moduleName(provider.type()),
                            PluginIdentity.locationOf(provider.type()))));
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        problems.add(
            "provider "
                + provider.type().getName()
                + " in "
                + PluginIdentity.locationOf(provider.type())
                + " failed to start: "
                + rootMessage(e));
      }
    }
  }

  /**
   * Calls every method of {@link Plugin} that the runtime relies on once: a provider whose {@code
   * name()}, {@code kind()}, {@code description()}, {@code options()}, {@code version()} or {@code
   * apiVersion()} throws or returns null (or a blank name, or options with a null entry) would fail
   * later with a message that names no plugin.
   *
   * @return what is wrong, or empty for a provider that answers every question
   */
  static Optional<String> misbehaviour(Plugin plugin) {
    List<String> wrong = new ArrayList<>();
    answer("name", plugin::name, wrong)
        .filter(name -> name.isBlank())
        .ifPresent(name -> wrong.add("its name() is blank"));
    answer("kind", plugin::kind, wrong);
    answer("description", plugin::description, wrong);
    answer("options", plugin::options, wrong)
        .filter(options -> options.stream().anyMatch(Objects::isNull))
        .ifPresent(options -> wrong.add("its options() holds null"));
    answer("version", plugin::version, wrong);
    answer("apiVersion", plugin::apiVersion, wrong);
    return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", wrong));
  }

  /** The provider's answer, or empty with a note in {@code wrong} when it throws or is null. */
  private static <V> Optional<V> answer(String method, Supplier<V> call, List<String> wrong) {
    V value;
    try {
      value = call.get();
    } catch (RuntimeException | LinkageError e) {
      wrong.add(
          "its "
              + method
              + "() threw "
              + e.getClass().getName()
              + (e.getMessage() == null ? "" : ": " + rootMessage(e)));
      return Optional.empty();
    }
    if (value == null) {
      wrong.add("its " + method + "() returned null");
    }
    return Optional.ofNullable(value);
  }

  private static Optional<String> incompatibility(PluginInfo info) {
    Plugin plugin = info.provider();
    String built = plugin.apiVersion();
    String describe =
        info.kind().name().toLowerCase(java.util.Locale.ROOT)
            + " plugin '"
            + info.name()
            + "' "
            + plugin.version()
            + " in "
            + info.location();
    int[] runtime = majorMinor(BomlApi.VERSION).orElseThrow();
    Optional<int[]> plugins = majorMinor(built);
    if (plugins.isEmpty()) {
      return Optional.of(
          describe
              + " does not say which BOML API version it was built against ('"
              + built
              + "'); rebuild it as a named module against org.boml.api "
              + BomlApi.VERSION);
    }
    int[] version = plugins.get();
    if (version[0] != runtime[0]) {
      return Optional.of(
          describe
              + " was built against BOML API "
              + built
              + " but this runtime provides API "
              + BomlApi.VERSION
              + " (major versions must match); use a build of the plugin for API "
              + runtime[0]
              + ".x");
    }
    if (version[1] > runtime[1]) {
      return Optional.of(
          describe
              + " was built against BOML API "
              + built
              + ", newer than this runtime's "
              + BomlApi.VERSION
              + "; upgrade BOML or use an older build of the plugin");
    }
    return Optional.empty();
  }

  private static List<PluginInfo> rejectDuplicates(
      List<PluginInfo> accepted, List<String> problems) {
    Map<String, List<PluginInfo>> byKey = new LinkedHashMap<>();
    for (PluginInfo info : accepted) {
      byKey.computeIfAbsent(info.kind() + "/" + info.name(), k -> new ArrayList<>()).add(info);
    }
    List<PluginInfo> unique = new ArrayList<>();
    byKey.forEach(
        (key, infos) -> {
          if (infos.size() == 1) {
            unique.add(infos.get(0));
          } else {
            problems.add(
                infos.size()
                    + " "
                    + infos.get(0).kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " plugins are named '"
                    + infos.get(0).name()
                    + "': "
                    + infos.stream()
                        .map(i -> i.provider().getClass().getName() + " in " + i.location())
                        .collect(Collectors.joining(" and "))
                    + "; remove all but one");
          }
        });
    unique.sort(Comparator.comparing((PluginInfo i) -> i.kind()).thenComparing(PluginInfo::name));
    return Collections.unmodifiableList(unique);
  }

  private static Optional<int[]> majorMinor(String version) {
    String[] parts = version.split("[.-]", -1);
    try {
      return Optional.of(
          new int[] {
            Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0
          });
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String moduleName(Class<?> type) {
    return type.getModule().isNamed() ? type.getModule().getName() : "unnamed";
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error
        ? String.valueOf(error.getMessage())
        : error.getMessage() + " (" + root + ")";
  }
}
