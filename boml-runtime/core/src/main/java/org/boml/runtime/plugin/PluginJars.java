package org.boml.runtime.plugin;

import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of plugin directories, by the module each holds. A directory that is missing is an
 * error; a jar that cannot be read, a module that the module path already has and a module that is
 * in two jars are refused, each with a problem that names the jar.
 */
final class PluginJars {
  private PluginJars() {}

  /**
   * The jar of each module in the directories, in the order of the directories and, within one, of
   * the jars' paths.
   *
   * @param directories directories of plugin jars
   * @param problems where the refusals go
   * @return the jar of each module name, in that order
   * @throws PluginException if a directory does not exist or cannot be listed
   */
  static Map<String, Path> byModule(List<Path> directories, List<String> problems) {
    Map<String, Path> jarsByModule = new LinkedHashMap<>();
    for (Path directory : directories) {
      for (Path jar : jarsIn(directory)) {
        readModuleName(jar, problems)
            .ifPresent(name -> addModule(name, jar, jarsByModule, problems));
      }
    }
    return jarsByModule;
  }

  private static List<Path> jarsIn(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new PluginException(
          "Plugin directory '"
              + directory
              + "' does not exist or is not a directory (a plugin directory given to the registry, or"
              + " one listed in "
              + PluginRegistry.PLUGINS_ENV
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
              + RootCause.message(e)
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
}
