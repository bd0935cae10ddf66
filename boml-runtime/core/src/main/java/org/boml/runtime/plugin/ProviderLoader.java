package org.boml.runtime.plugin;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelProvider;
import org.boml.api.Plugin;
import org.boml.api.PluginKind;

/**
 * Loads the providers of the four BOML services with {@link ServiceLoader}: from the plugin layer
 * when there is one (it sees the boot layer too), else from the boot layer, else, for a runtime on
 * the class path, from its class loader. A provider that cannot be instantiated, fails to start or
 * misbehaves ({@link ProviderCheck}) is refused with a problem that names its class and its jar;
 * the others still load.
 */
final class ProviderLoader {
  private ProviderLoader() {}

  /**
   * The service interface whose providers are of a kind.
   *
   * @param kind the kind
   * @return e.g. {@link IterationModuleProvider} for {@link PluginKind#ITERATION}
   */
  static Class<? extends Plugin> service(PluginKind kind) {
    return switch (kind) {
      case ITERATION -> IterationModuleProvider.class;
      case HYPERGRADIENT -> HypergradientModuleProvider.class;
      case DATASET -> DatasetProvider.class;
      case MODEL -> ModelProvider.class;
    };
  }

  /**
   * Every provider of every service, kind by kind in the order of {@link PluginKind}.
   *
   * @param layer the plugin layer, or empty when there are no plugin directories
   * @param problems where the refusals go
   * @return the providers that started and answer every question, with where they came from
   */
  static List<PluginInfo> load(Optional<ModuleLayer> layer, List<String> problems) {
    List<PluginInfo> found = new ArrayList<>();
    for (PluginKind kind : PluginKind.values()) {
      load(service(kind), layer, found, problems);
    }
    return found;
  }

  private static <T extends Plugin> void load(
      Class<T> service,
      Optional<ModuleLayer> layer,
      List<PluginInfo> found,
      List<String> problems) {
    ServiceLoader<T> loader =
        layer.isPresent()
            ? ServiceLoader.load(layer.get(), service)
            : ProviderLoader.class.getModule().isNamed()
                ? ServiceLoader.load(ModuleLayer.boot(), service)
                : ServiceLoader.load(service, ProviderLoader.class.getClassLoader());
    Iterator<ServiceLoader.Provider<T>> providers = loader.stream().iterator();
    while (true) {
      ServiceLoader.Provider<T> provider;
      try {
        if (!providers.hasNext()) {
          break;
        }
        provider = providers.next();
      } catch (ServiceConfigurationError e) {
        problems.add(
            "a " + service.getSimpleName() + " could not be loaded: " + RootCause.message(e));
        continue;
      }
      String location = PluginIdentity.locationOf(provider.type());
      try {
        T instance = provider.get();
        ProviderCheck.misbehaviour(instance)
            .ifPresentOrElse(
                why ->
                    problems.add(
                        "provider "
                            + provider.type().getName()
                            + " in "
                            + location
                            + " is refused: "
                            + why
                            + "; fix or remove the plugin"),
                () -> found.add(new PluginInfo(instance, moduleName(provider.type()), location)));
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        problems.add(
            "provider "
                + provider.type().getName()
                + " in "
                + location
                + " failed to start: "
                + RootCause.message(e));
      }
    }
  }

  private static String moduleName(Class<?> type) {
    return type.getModule().isNamed() ? type.getModule().getName() : "unnamed";
  }
}
