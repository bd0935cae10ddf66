package org.boml.runtime.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@value ConfigFile#OPTION} option shared by {@code train} and {@code evaluate}. {@link
 * ConfigFile} expands it before the command line is parsed; it is declared so that {@code --help}
 * documents it.
 */
final class ConfigOption {
  @Option(
      names = ConfigFile.OPTION,
      paramLabel = "FILE",
      description =
          "Read options from a JSON object whose keys are these options' names without dashes;"
              + " flags given here override it. One file: a second --config is refused.")
  Path file;
}
