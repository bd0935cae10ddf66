package org.boml.runtime.cli.spi;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One in-process run of a {@link Subcommand} on its own, outside the {@code boml} command line,
 * with what it printed and its exit code: what an application's tests need to run its subcommand.
 * Standard output ({@link System#out}, swapped for the run) and picocli's error writer are
 * captured; an exception that {@link Subcommand#call()} throws is printed to that writer as its
 * message alone (the {@code boml} command line adds a {@code "boml: "} prefix and hints), with exit
 * code 1. Standard error itself, where subcommands print progress, is not captured.
 *
 * @param code the exit code: 0 success, 1 an exception of the command, 2 a bad command line
 * @param out what the command printed to standard output
 * @param err what picocli and the exception handler printed to the command's error writer
 */
public record SubcommandRun(int code, String out, String err) {
  /**
   * Runs a subcommand with arguments, restoring {@link System#out} afterwards.
   *
   * @param command a new instance of the subcommand (its options are set by the run)
   * @param args the command-line arguments after the subcommand's name
   * @return the exit code and what was printed
   */
  public static SubcommandRun of(Subcommand command, String... args) {
    CommandLine line = new CommandLine(command);
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err, true));
    line.setExecutionExceptionHandler(
        (error, cmd, parse) -> {
          cmd.getErr().println(error.getMessage());
          return 1;
        });
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = line.execute(args);
      return new SubcommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }

  /**
   * Whether the module of a subcommand's class declares it a provider of {@link Subcommand} ({@code
   * provides org.boml.runtime.cli.spi.Subcommand with ...}), as the command line needs to find it.
   *
   * @param type the subcommand's class
   * @return false where the class is in no named module or its module does not provide it
   */
  public static boolean isProvided(Class<? extends Subcommand> type) {
    ModuleDescriptor descriptor = type.getModule().getDescriptor();
    return descriptor != null
        && descriptor.provides().stream()
            .anyMatch(
                p ->
                    p.service().equals(Subcommand.class.getName())
                        && p.providers().contains(type.getName()));
  }
}
