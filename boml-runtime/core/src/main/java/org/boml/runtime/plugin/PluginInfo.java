package org.boml.runtime.plugin;

import org.boml.api.Plugin;
import org.boml.api.PluginKind;

/**
 * A discovered provider and where it came from.
 *
 * @param provider the provider instance
 * @param module the name of its module, or {@code unnamed} for the class path
 * @param location the jar or folder it was loaded from
 */
public record PluginInfo(Plugin provider, String module, String location) {
  /**
   * The provider's name.
   *
   * @return the name
   */
  public String name() {
    return provider.name();
  }

  /**
   * The provider's kind.
   *
   * @return the kind
   */
  public PluginKind kind() {
    return provider.kind();
  }
}
