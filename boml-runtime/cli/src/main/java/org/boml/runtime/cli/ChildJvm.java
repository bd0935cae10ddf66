package org.boml.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the command line again in a fresh JVM with this JVM's launcher options (module path, class
 * path, system properties, heap limit), so that a measurement gets a process of its own.
 */
final class ChildJvm {
  private final List<String> launcher;

  private ChildJvm(List<String> launcher) {
    this.launcher = launcher;
  }

  /**
   * The launcher of this JVM: its executable and every argument up to the main module or class.
   *
   * @return empty when this process's command line cannot be read or has no main module
   */
  static Optional<ChildJvm> ofThisProcess() {
    ProcessHandle.Info info = ProcessHandle.current().info();
    Optional<String> command = info.command();
    Optional<String[]> arguments = info.arguments();
    if (command.isEmpty() || arguments.isEmpty()) {
      return Optional.empty();
    }
    return launcherOf(command.get(), List.of(arguments.get())).map(ChildJvm::new);
  }

  /** The executable and the arguments up to and including the main module's name. */
  static Optional<List<String>> launcherOf(String command, List<String> arguments) {
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if ((argument.equals("--module") || argument.equals("-m")) && i + 1 < arguments.size()) {
        List<String> launcher = new ArrayList<>();
        launcher.add(command);
        launcher.addAll(arguments.subList(0, i + 2));
        return Optional.of(launcher);
      }
      if (argument.startsWith("--module=")) {
        List<String> launcher = new ArrayList<>();
        launcher.add(command);
        launcher.addAll(arguments.subList(0, i + 1));
        return Optional.of(launcher);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the command line with the given arguments; the child's standard error goes to ours.
   *
   * @param arguments the command line's arguments
   * @return the child's standard output
   * @throws IOException if it cannot start or exits with a failure
   */
  String run(List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      int code = process.waitFor();
      if (code != 0) {
        throw new IOException("the benchmark process " + arguments + " exited with code " + code);
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + arguments, e);
    }
    return output;
  }
}
