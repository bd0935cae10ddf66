/**
 * The service interface through which other modules add subcommands to the {@code boml} command
 * line ({@link org.boml.runtime.cli.spi.Subcommand}), and what such subcommands share: the {@link
 * org.boml.runtime.cli.spi.MethodOptions} mixin, {@link org.boml.runtime.cli.spi.OptionChecks} of
 * option values, the {@link org.boml.runtime.cli.spi.LogInterval} of {@code --log-every}, and
 * {@link org.boml.runtime.cli.spi.SubcommandRun}, which runs one in-process for its tests.
 */
package org.boml.runtime.cli.spi;
