package org.boml.runtime.cli;

import picocli.CommandLine.Option;

/** The {@code --dynamics} option shared by {@code train} and {@code check-plugin}. */
final class DynamicsChoice {
  /** The option's name. */
  static final String OPTION = "--dynamics";

  @Option(
      names = OPTION,
      description = "Lower-level dynamics plugin (default: ${DEFAULT-VALUE}).",
      defaultValue = "gd")
  String dynamics;
}
