/**
 * The test kit's contribution to the {@code boml} command line: {@code boml check-plugin}, which
 * runs the kit's finite-difference check of a hypergradient plugin on the standard float64 problems
 * and prints a pass/fail table; the runtime finds it as a {@link
 * org.boml.runtime.cli.spi.Subcommand} on the module path.
 */
package org.boml.testkit.cli;
