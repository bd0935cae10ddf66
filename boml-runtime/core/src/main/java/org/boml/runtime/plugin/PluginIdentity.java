package org.boml.runtime.plugin;

import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import org.boml.api.Plugin;
import org.boml.api.PluginKind;

/**
 * Which plugin a part of a run comes from, for error messages: its kind, name, version and the jar
 * (or folder) it was loaded from, e.g. {@code hypergradient module 'rhg' 0.1.0 from
 * /opt/boml/modules/boml-plugin-rhg-0.1.0.jar}.
 *
 * @param kind what the part is, e.g. {@code hypergradient module}
 * @param name the plugin's name
 * @param version the plugin's version, or {@value Plugin#UNKNOWN_VERSION}
 * @param location the jar or folder its classes come from, or {@code unknown}
 */
public record PluginIdentity(String kind, String name, String version, String location) {
  /**
   * The identity of a provider.
   *
   * @param kind what the part is
   * @param provider the provider
   * @return its identity
   */
  public static PluginIdentity of(String kind, Plugin provider) {
    return new PluginIdentity(
        kind, provider.name(), provider.version(), locationOf(provider.getClass()));
  }

  /**
   * The identity of an object created by a plugin (a module, a dataset), from its class's module.
   *
   * @param kind what the part is
   * @param name its name, or null for its module's name (its class's name outside a module)
   * @param instance the object
   * @return its identity
   */
  public static PluginIdentity of(String kind, String name, Object instance) {
    Class<?> type = instance.getClass();
    Module module = type.getModule();
    String version =
        Optional.ofNullable(module.getDescriptor())
            .flatMap(ModuleDescriptor::rawVersion)
            .orElse(Plugin.UNKNOWN_VERSION);
    String shown = name != null ? name : module.isNamed() ? module.getName() : type.getName();
    return new PluginIdentity(kind, shown, version, locationOf(type));
  }

  /**
   * What a provider's {@code create} (or {@code open}) returned, refused when it is null: the error
   * names the plugin, its class and its jar, where the null would otherwise fail later with a
   * message about the runtime's own code.
   *
   * @param provider the provider that was called
   * @param call the method, e.g. {@code create}
   * @param made what it returned
   * @param <T> the type of what it makes
   * @return {@code made}
   * @throws PluginException if {@code made} is null
   */
  public static <T> T created(Plugin provider, String call, T made) {
    if (made == null) {
      String kind = word(provider.kind());
      throw new PluginException(
          of(kind, provider)
              + ": "
              + provider.getClass().getName()
              + "."
              + call
              + "() returned null; a "
              + kind
              + " provider must return a new "
              + kind
              + " or throw an exception that says why. Fix or remove the plugin");
    }
    return made;
  }

  /**
   * The words error messages use for a kind of plugin.
   *
   * @param kind the kind
   * @return e.g. {@code hypergradient module}
   */
  public static String word(PluginKind kind) {
    return switch (kind) {
      case ITERATION -> "iteration module";
      case HYPERGRADIENT -> "hypergradient module";
      case DATASET -> "dataset";
      case MODEL -> "model";
    };
  }

  /**
   * The jar or folder a class was loaded from.
   *
   * @param type the class
   * @return its path, or {@code unknown}
   */
  public static String locationOf(Class<?> type) {
    Module module = type.getModule();
    if (module.isNamed()) {
      return locationOf(module);
    }
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null
        ? "unknown"
        : pathOf(URI.create(source.getLocation().toString()));
  }

  /**
   * The jar or folder a named module was loaded from.
   *
   * @param module the module
   * @return its path, or {@code unknown}
   */
  public static String locationOf(Module module) {
    ModuleLayer layer = module.getLayer();
    if (layer == null) {
      return "unknown";
    }
    return layer
        .configuration()
        .findModule(module.getName())
        .flatMap(resolved -> resolved.reference().location())
        .map(PluginIdentity::pathOf)
        .orElse("unknown");
  }

  private static String pathOf(URI uri) {
    return "file".equals(uri.getScheme()) ? Path.of(uri).toString() : uri.toString();
  }

  /** The kind, quoted name, version and location, as error messages show it. */
  @Override
  public String toString() {
    return kind + " '" + name + "' " + version + " from " + location;
  }
}
