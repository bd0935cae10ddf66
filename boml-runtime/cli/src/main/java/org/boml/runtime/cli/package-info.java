/**
 * The {@code boml} command line: {@link Main} parses the arguments with picocli and runs the
 * built-in commands ({@code train}, {@code evaluate}, {@code plugins}, {@code plot}, {@code bench}
 * and {@code check-plugin}, which runs the test kit's finite-difference checks on a hypergradient
 * plugin) and those that other modules provide as a {@link org.boml.runtime.cli.spi.Subcommand}. It
 * turns options into a run specification and checks their ranges, expands configuration files,
 * reports progress and results, and turns failures (a lost standard output, an exhausted memory, an
 * undecodable file name) into one-line messages with an exit code.
 */
package org.boml.runtime.cli;
