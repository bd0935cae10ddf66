/** The {@code boml} command line. */
package org.boml.runtime.cli;
