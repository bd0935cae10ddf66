package org.boml.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars of the reactor's {@code plugins/<name>} modules, for tests that need plugins the app
 * layout does not bundle. The parent lists the plugins before this module, so they are built first.
 */
final class ReactorPlugins {
  private ReactorPlugins() {}

  private static Path root() {
    return Path.of(System.getProperty("basedir", ".")).resolve("../plugins").normalize();
  }

  /** The jar of one plugin module, e.g. {@code fhg}. */
  static Path jar(String module) {
    return AppLayout.jar(root().resolve(module).resolve("target"), "boml-plugin-");
  }

  /** The jar of every plugin module, by module name. */
  static List<Path> jars() throws IOException {
    try (Stream<Path> modules = Files.list(root())) {
      return modules.sorted().map(m -> jar(m.getFileName().toString())).toList();
    }
  }
}
