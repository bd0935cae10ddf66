package org.boml.runtime.cli;

import picocli.CommandLine.Option;

/** The {@code --json} switch shared by {@code train} and {@code evaluate}. */
final class JsonOption {
  @Option(names = "--json", description = "Print the result as JSON on standard output.")
  boolean json;
}
