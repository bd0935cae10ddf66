package org.boml.api;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Optional;

/**
 * What every provider tells the runtime about itself.
 *
 * <p>{@link #name()} must be unique among all providers of the same {@link #kind()}. The version
 * and the API version default to what the plugin's module descriptor records: the module's own
 * version ({@code javac --module-version}) and the version of {@code org.boml.api} it was compiled
 * against ({@link ModuleDescriptor.Requires#compiledVersion()}). A provider that is not in a named
 * module, or was compiled without versions, must override both.
 */
public interface Plugin {
  /** The value reported when a version cannot be determined. */
  String UNKNOWN_VERSION = "unknown";

  /**
   * The provider's unique name, as used on the command line ({@code --method rhg}).
   *
   * @return a short lower-case name
   */
  String name();

  /**
   * The kind of provider.
   *
   * @return the kind
   */
  PluginKind kind();

  /**
   * A one-line description for listings and {@code --help}.
   *
   * @return the description
   */
  String description();

  /**
   * The options this provider understands; anything else given to it is an error.
   *
   * @return the accepted options, in display order
   */
  default List<OptionSpec> options() {
    return List.of();
  }

  /**
   * The provider's own version.
   *
   * @return the version of the module that holds the provider, or {@link #UNKNOWN_VERSION}
   */
  default String version() {
    return Optional.ofNullable(getClass().getModule().getDescriptor())
        .flatMap(ModuleDescriptor::rawVersion)
        .orElse(UNKNOWN_VERSION);
  }

  /**
   * The version of this API the provider was built against.
   *
   * @return the compiled version of {@code org.boml.api}, or {@link #UNKNOWN_VERSION}
   */
  default String apiVersion() {
    ModuleDescriptor descriptor = getClass().getModule().getDescriptor();
    if (descriptor == null) {
      return UNKNOWN_VERSION;
    }
    return descriptor.requires().stream()
        .filter(r -> r.name().equals(BomlApi.MODULE))
        .findFirst()
        .flatMap(ModuleDescriptor.Requires::rawCompiledVersion)
        .orElse(UNKNOWN_VERSION);
  }
}
