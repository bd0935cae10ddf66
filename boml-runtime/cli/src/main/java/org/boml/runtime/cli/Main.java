package org.boml.runtime.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.boml.runtime.cli.spi.Subcommand;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code boml} command: meta-learning as bilevel optimization. */
@Command(
    name = "boml",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Meta-learning as bilevel optimization on the JVM (DJL + PyTorch).",
    footer = {
      "",
      "Environment read by the ./boml launcher: JAVA_OPTS (JVM options), BOML_HEAP (the Java"
          + " heap, default 4g), BOML_ALLOCATOR (the native allocator: tcmalloc, the default,"
          + " where installed, or system for glibc's malloc; --version prints the one in use),"
          + " TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES (the freed memory that tcmalloc's thread"
          + " caches may hold together, default 4194304 bytes);"
          + " where the locale's character set is not UTF-8 (LANG=POSIX), it runs Java with"
          + " LC_ALL=C.UTF-8 if installed, so that non-ASCII paths reach BOML.",
      "Environment read by the runtime: BOML_CONVOLUTION (float32 convolution kernels: native,"
          + " the default, uses libtorch's native kernels, checked against float64 at start, with"
          + " NNPACK only for one intra-op thread on a CPU that libtorch's NNPACK supports; auto"
          + " checks oneDNN too and keeps it where it passes (faster, less accurate); onednn"
          + " forces it; --version prints the choice),"
          + " TORCH_CPP_LOG_LEVEL (libtorch's C++ log, default ERROR)."
    },
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      PluginsCommand.class,
      PlotCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description =
          "Directory of plugin jars to load besides the built-in ones (repeatable; also from the"
              + " environment variable "
              + PluginRegistry.PLUGINS_ENV
              + ").",
      scope = CommandLine.ScopeType.INHERIT)
  List<Path> pluginDirectories = new ArrayList<>();

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    StandardOutput.install();
    int code;
    try {
      code = run(args);
    } catch (Error e) { // picocli passes errors through
      code = outOfMemory(e, System.err);
    }
    System.exit(code);
  }

  /**
   * Tells an error that escaped the command line in one line if memory ran out, wherever that
   * happened: the error itself, or the cause of a worker's error or of a {@link
   * java.util.ServiceConfigurationError} (the service loader wraps what a provider's class loading
   * threw). Other errors go on.
   *
   * @param error the error
   * @param err where to tell it
   * @return the exit code, 1
   */
  static int outOfMemory(Error error, PrintStream err) {
    // no lambda: its first use bootstraps a method handle, which needs memory
    Optional<OutOfMemoryError> memory = OutOfMemory.in(error);
    if (memory.isEmpty()) {
      throw error;
    }
    err.println(OutOfMemory.message(memory.get(), Runtime.getRuntime().maxMemory()));
    return 1;
  }

  /**
   * Runs the command line and returns its exit code (0 success, 1 failure, 2 usage error). A
   * command whose output to {@code System.out} was lost fails ({@link StandardOutput}).
   *
   * @param args the arguments
   * @return the exit code
   */
  public static int run(String... args) {
    String[] expanded;
    CommandLine commandLine = commandLine();
    try {
      FileNameEncoding.checkArguments(args);
      expanded = ConfigFile.expand(Main::commandLine, args);
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      commandLine.getErr().println("boml: " + e.getMessage());
      return 2;
    }
    return StandardOutput.verified(commandLine.execute(expanded), System.out, commandLine.getErr());
  }

  /**
   * The {@code boml} command with its subcommands, those of the {@link Subcommand} providers
   * included, ready to execute.
   *
   * @return a new command line
   */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    ServiceLoader.load(Subcommand.class).stream()
        .sorted(Comparator.comparing(provider -> provider.type().getName()))
        .forEach(provider -> commandLine.addSubcommand(provider.get()));
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setExecutionExceptionHandler(
        (error, cmd, parseResult) -> {
          Optional<OutOfMemoryError> memory = OutOfMemory.in(error);
          cmd.getErr()
              .println(
                  memory.isPresent()
                      ? OutOfMemory.message(memory.get(), Runtime.getRuntime().maxMemory())
                      : "boml: " + messageOf(error) + FileNameEncoding.hintFor(error));
          if (Boolean.getBoolean("boml.stacktrace")) {
            error.printStackTrace(cmd.getErr());
          } else if (memory.isEmpty()) {
            cmd.getErr()
                .println(
                    "(run with -Dboml.stacktrace=true, or JAVA_OPTS=-Dboml.stacktrace=true, for the stack trace)");
          }
          return 1;
        });
    return commandLine;
  }

  private static String messageOf(Throwable error) {
    StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
    Throwable cause = error.getCause();
    while (cause != null && cause != error) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append("\n  caused by: ").append(cause.getMessage());
      }
      error = cause;
      cause = cause.getCause();
    }
    return message.toString();
  }

  /**
   * The plugin directories from {@code --plugins} and the environment.
   *
   * @return every directory to load plugins from
   */
  List<Path> allPluginDirectories() {
    List<Path> all = new ArrayList<>(PluginRegistry.directoriesFromEnvironment());
    all.addAll(pluginDirectories);
    return all;
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /**
   * Reports the runtime's and the API's versions, the native allocator the process runs on and the
   * kernels of its float32 convolutions.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String runtime =
          Main.class.getModule().getDescriptor() == null
              ? "unknown"
              : Main.class.getModule().getDescriptor().rawVersion().orElse("unknown");
      return new String[] {
        "boml runtime " + runtime + ", API " + org.boml.api.BomlApi.VERSION,
        "native allocator: " + ComputeEngines.get().nativeAllocator(),
        "float32 convolutions: " + ComputeEngines.get().convolutionKernels()
      };
    }
  }
}
