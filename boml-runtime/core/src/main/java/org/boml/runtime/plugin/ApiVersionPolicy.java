package org.boml.runtime.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.boml.api.BomlApi;
import org.boml.api.Plugin;

/**
 * Which plugins a runtime accepts by the version of {@code org.boml.api} they were built against
 * (semantic versioning, see {@link BomlApi#VERSION}): the same major version as the runtime's API
 * and a minor version no newer than its. A plugin that does not say which version it was built
 * against (not a named module with a version) is refused too. Each refusal names the plugin, its
 * version and its jar, and says what to do.
 */
final class ApiVersionPolicy {
  private final String runtimeVersion;
  private final int runtimeMajor;
  private final int runtimeMinor;

  /**
   * The policy of a runtime that provides an API version.
   *
   * @param runtimeVersion e.g. {@code 1.3.0}
   * @throws IllegalArgumentException if it does not start with a major (and minor) number
   */
  ApiVersionPolicy(String runtimeVersion) {
    int[] version =
        majorMinor(runtimeVersion)
            .orElseThrow(
                () -> new IllegalArgumentException("not an API version: '" + runtimeVersion + "'"));
    this.runtimeVersion = runtimeVersion;
    this.runtimeMajor = version[0];
    this.runtimeMinor = version[1];
  }

  /**
   * The policy of this runtime, which provides {@link BomlApi#VERSION}.
   *
   * @return the policy
   */
  static ApiVersionPolicy current() {
    return new ApiVersionPolicy(BomlApi.VERSION);
  }

  /**
   * The plugins this runtime accepts; a problem for each of the others.
   *
   * @param found the plugins, in their order
   * @param problems where the refusals go
   * @return the accepted plugins, in the same order
   */
  List<PluginInfo> accepted(List<PluginInfo> found, List<String> problems) {
    List<PluginInfo> accepted = new ArrayList<>();
    for (PluginInfo info : found) {
      refusal(info).ifPresentOrElse(problems::add, () -> accepted.add(info));
    }
    return accepted;
  }

  /**
   * Why a plugin is refused.
   *
   * @param info the plugin
   * @return the refusal, or empty if the plugin is accepted
   */
  Optional<String> refusal(PluginInfo info) {
    Plugin plugin = info.provider();
    String built = plugin.apiVersion();
    String describe =
        info.kind().name().toLowerCase(Locale.ROOT)
            + " plugin '"
            + info.name()
            + "' "
            + plugin.version()
            + " in "
            + info.location();
    Optional<int[]> plugins = majorMinor(built);
    if (plugins.isEmpty()) {
      return Optional.of(
          describe
              + " does not say which BOML API version it was built against ('"
              + built
              + "'); rebuild it as a named module against org.boml.api "
              + runtimeVersion);
    }
    int[] version = plugins.get();
    if (version[0] != runtimeMajor) {
      return Optional.of(
          describe
              + " was built against BOML API "
              + built
              + " but this runtime provides API "
              + runtimeVersion
              + " (major versions must match); use a build of the plugin for API "
              + runtimeMajor
              + ".x");
    }
    if (version[1] > runtimeMinor) {
      return Optional.of(
          describe
              + " was built against BOML API "
              + built
              + ", newer than this runtime's "
              + runtimeVersion
              + "; upgrade BOML or use an older build of the plugin");
    }
    return Optional.empty();
  }

  /** The major and minor numbers of {@code 1.3.0}, {@code 1.3-SNAPSHOT} or {@code 1} (minor 0). */
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
}
