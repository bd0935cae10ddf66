package org.boml.runtime.cli.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.boml.runtime.plugin.PluginRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A subcommand of the {@code boml} command line contributed by another module, so that a job which
 * needs a module the runtime must not depend on (a dataset, an application, the test kit) still
 * runs as {@code boml NAME ...}.
 *
 * <p>The command line finds every implementation with {@link java.util.ServiceLoader} (a module on
 * the module path that {@code provides org.boml.runtime.cli.spi.Subcommand with ...}) and adds it
 * under the name of its picocli {@code @Command} annotation, in the order of their class names. An
 * implementation is an ordinary picocli command: the class carries {@code @Command(name = ...)},
 * its fields carry {@code @Option}s, its package is opened to {@code info.picocli}, and {@link
 * #call()} returns the exit code (0 success, 1 failure); an exception it throws is printed as a
 * one-line error like those of the built-in commands. A name that a built-in command already has is
 * refused at start-up.
 */
public interface Subcommand extends Callable<Integer> {
  /**
   * The plugin directories a subcommand loads plugins from: those of the environment variable
   * {@value PluginRegistry#PLUGINS_ENV}, then those of the inherited {@code --plugins} option.
   *
   * @param spec the subcommand's picocli spec (its {@code @Spec} field), or null outside a command
   *     line (then only the environment's)
   * @return the directories, in that order
   */
  static List<Path> pluginDirectories(CommandSpec spec) {
    List<Path> all = new ArrayList<>(PluginRegistry.directoriesFromEnvironment());
    OptionSpec inherited = spec == null ? null : spec.findOption("--plugins");
    if (inherited != null && inherited.getValue() instanceof List<?> given) {
      for (Object directory : given) {
        all.add((Path) directory);
      }
    }
    return all;
  }

  /**
   * Discovers the plugins of a subcommand, those of {@link #pluginDirectories(CommandSpec)}
   * included, and warns on standard error, after {@code "boml: "}, about each plugin that was
   * refused.
   *
   * @param spec the subcommand's picocli spec (its {@code @Spec} field), or null outside a command
   *     line (then only the environment's directories)
   * @return the registry, without the refused plugins
   */
  static PluginRegistry plugins(CommandSpec spec) {
    PluginRegistry registry = PluginRegistry.discover(pluginDirectories(spec));
    registry.warnAboutRefusals(message -> System.err.println("boml: " + message));
    return registry;
  }
}
