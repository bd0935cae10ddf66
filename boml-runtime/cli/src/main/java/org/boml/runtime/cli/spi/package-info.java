/**
 * The service interface through which other modules add subcommands to the {@code boml} command
 * line ({@link org.boml.runtime.cli.spi.Subcommand}).
 */
package org.boml.runtime.cli.spi;
