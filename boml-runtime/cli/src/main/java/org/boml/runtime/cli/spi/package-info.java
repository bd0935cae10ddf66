/**
 * The service interface through which other modules add subcommands to the {@code boml} command
 * line ({@link org.boml.runtime.cli.spi.Subcommand}), and what such subcommands share: the {@link
 * org.boml.runtime.cli.spi.MethodOptions} mixin and {@link org.boml.runtime.cli.spi.OptionChecks}
 * of option values.
 */
package org.boml.runtime.cli.spi;
