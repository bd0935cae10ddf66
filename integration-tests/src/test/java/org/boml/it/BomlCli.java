package org.boml.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.boml.runtime.plugin.PluginRegistry;

/**
 * Runs the {@code boml} command line in a JVM of its own, the way {@code ./boml} does: the modules
 * of {@link AppLayout} on the module path, the native jar on the class path. The child inherits
 * this environment without {@value PluginRegistry#PLUGINS_ENV}, unless a test sets it.
 */
final class BomlCli {
  private static final String MAIN = "org.boml.cli/org.boml.runtime.cli.Main";
  private static final long DEFAULT_TIMEOUT_SECONDS = 180;

  /**
   * Set by failsafe to JaCoCo's agent option when coverage is recorded (empty otherwise): the child
   * JVMs record into the same file as the tests, so the aggregate report covers the command line as
   * these tests run it.
   */
  static final String COVERAGE_AGENT = "boml.it.coverage.agent";

  /** The {@code ./boml} launcher of the checkout. */
  static final Path LAUNCHER =
      Path.of(System.getProperty("basedir", ".")).resolve("../boml").normalize();

  private BomlCli() {}

  /**
   * Runs {@code boml} through the {@code ./boml} launcher, with extra environment variables; the
   * allocator is the launcher's default unless the environment names one.
   */
  static CliResult launch(Map<String, String> environment, String... arguments) {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove(PluginRegistry.PLUGINS_ENV);
    builder.environment().remove("LD_PRELOAD");
    builder.environment().remove("BOML_ALLOCATOR");
    builder.environment().putAll(environment);
    return execute(builder, 300);
  }

  /** Runs {@code boml} with arguments. */
  static CliResult run(String... arguments) {
    return run(Map.of(), arguments);
  }

  /** Runs {@code boml} with arguments and extra environment variables. */
  static CliResult run(Map<String, String> environment, String... arguments) {
    return run(DEFAULT_TIMEOUT_SECONDS, environment, arguments);
  }

  /** Runs {@code boml} with a time limit, extra environment variables and arguments. */
  static CliResult run(long timeoutSeconds, Map<String, String> environment, String... arguments) {
    return runModule(List.of(), MAIN, timeoutSeconds, environment, arguments);
  }

  /**
   * Runs a main class of a module, with the app's modules and more module-path entries (such as a
   * directory of compiled classes).
   */
  static CliResult runModule(
      List<Path> morePath,
      String main,
      long timeoutSeconds,
      Map<String, String> environment,
      String... arguments) {
    ProcessBuilder builder = new ProcessBuilder(command(morePath, main, arguments));
    builder.environment().remove(PluginRegistry.PLUGINS_ENV);
    builder.environment().putAll(environment);
    return execute(builder, timeoutSeconds);
  }

  /** The command line that runs {@code boml} with arguments, as {@link #run} starts it. */
  static List<String> command(String... arguments) {
    return command(List.of(), MAIN, arguments);
  }

  /**
   * Starts {@code boml} in the background with its standard output and error going to files, for
   * tests that race or signal a running process.
   */
  static Process start(Path stdout, Path stderr, String... arguments) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(arguments));
    builder.environment().remove(PluginRegistry.PLUGINS_ENV);
    return builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
  }

  private static List<String> command(List<Path> morePath, String main, String... arguments) {
    List<Path> modulePath = new ArrayList<>(morePath);
    modulePath.addAll(AppLayout.jars(AppLayout.modules()));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String agent = System.getProperty(COVERAGE_AGENT, "");
    if (!agent.isBlank()) {
      // Only BOML's classes: instrumenting DJL's too would slow every start for nothing.
      command.add(agent + ",includes=org.boml.*");
    }
    command.addAll(
        List.of(
            "-Xmx2g",
            "-Dai.djl.offline=true",
            "--module-path",
            AppLayout.path(modulePath),
            "--class-path",
            AppLayout.path(AppLayout.classpath()),
            "--module",
            main));
    command.addAll(List.of(arguments));
    return command;
  }

  /**
   * Runs a prepared process to its end (failing the test after a time limit), capturing its output;
   * a standard output the builder already redirects somewhere stays there (and reads as empty).
   */
  static CliResult execute(ProcessBuilder builder, long timeoutSeconds) {
    List<String> command = builder.command();
    try {
      Path stdout = Files.createTempFile("boml-cli", ".out");
      Path stderr = Files.createTempFile("boml-cli", ".err");
      try {
        if (builder.redirectOutput().equals(ProcessBuilder.Redirect.PIPE)) {
          builder.redirectOutput(stdout.toFile());
        }
        Process process = builder.redirectError(stderr.toFile()).start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
          process.destroyForcibly().waitFor();
        }
        CliResult result =
            new CliResult(
                command, process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        return finished
            ? result
            : fail("the command did not finish within " + timeoutSeconds + " s" + result);
      } finally {
        Files.delete(stdout);
        Files.delete(stderr);
      }
    } catch (IOException e) {
      return fail("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running " + command, e);
    }
  }
}
