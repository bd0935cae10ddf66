/**
 * The service interface through which other modules add subcommands to the {@code boml} command
 * line ({@link org.boml.runtime.cli.spi.Subcommand}), and what such subcommands share: the {@link
 * org.boml.runtime.cli.spi.MethodOptions} mixin, the {@link org.boml.runtime.cli.spi.LogInterval}
 * of {@code --log-every}, and {@link org.boml.runtime.cli.spi.SubcommandRun}, which runs one
 * in-process for its tests. Option values are range-checked with the core's {@link
 * org.boml.runtime.train.Ranges}, as {@code train}'s are.
 */
package org.boml.runtime.cli.spi;
