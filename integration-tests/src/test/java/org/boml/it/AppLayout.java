package org.boml.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The application the build lays out in {@code target/app} (see this module's pom): {@code
 * modules/} holds the runtime, its dependencies and every bundled plugin and dataset but fmaml,
 * {@code classpath/} the native libtorch jar, and {@code plugin-dir/} the fmaml plugin.
 */
final class AppLayout {
  /** The system property with the layout's root, set by failsafe. */
  static final String PROPERTY = "boml.it.app";

  private AppLayout() {}

  static Path root() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      throw new IllegalStateException(
          "System property "
              + PROPERTY
              + " is not set: run the integration tests with 'mvn verify'");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  static Path modules() {
    return root().resolve("modules");
  }

  static Path classpath() {
    return root().resolve("classpath");
  }

  static Path pluginDir() {
    return root().resolve("plugin-dir");
  }

  /** The jars in a directory, sorted by name; fails if there are none. */
  static List<Path> jars(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      List<Path> jars =
          entries
              .filter(p -> p.getFileName().toString().endsWith(".jar"))
              .sorted()
              .collect(Collectors.toList());
      if (jars.isEmpty()) {
        throw new IllegalStateException("No jars in " + directory);
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list " + directory + "; run 'mvn verify' to lay out the app", e);
    }
  }

  /** The one jar in a directory whose file name starts with a prefix, e.g. {@code boml-api-}. */
  static Path jar(Path directory, String prefix) {
    List<Path> matches =
        jars(directory).stream()
            .filter(p -> p.getFileName().toString().startsWith(prefix))
            .collect(Collectors.toList());
    if (matches.size() != 1) {
      throw new IllegalStateException(
          "Expected one " + prefix + "*.jar in " + directory + ", found " + matches);
    }
    return matches.get(0);
  }

  /** The jars of a directory as a module or class path. */
  static String path(Path directory) {
    return path(jars(directory));
  }

  /** Jars joined with the path separator. */
  static String path(List<Path> jars) {
    return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
