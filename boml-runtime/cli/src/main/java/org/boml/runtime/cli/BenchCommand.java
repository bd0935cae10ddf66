package org.boml.runtime.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.DatasetException;
import org.boml.runtime.bench.BenchConfiguration;
import org.boml.runtime.bench.BenchRunner;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code boml bench}: the reference workload of the PyTorch peer, timed. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Times the reference workload of the PyTorch peer (../shared/bench/peer/README.md):"
          + " MAML on Omniglot 5-way 1-shot, 15 queries per class, the peer's character split and"
          + " rotations, Conv-4 (64 filters, batch statistics), inner gradient descent with lr"
          + " 0.4, meta-batch 4, Adam 1e-3. Tasks are sampled before the timed loop; warm-up"
          + " iterations are discarded. Prints, per configuration, the median, 10th and 90th"
          + " percentile seconds per meta-iteration, the achieved GFLOP/s from the workload's"
          + " analytic FLOP count (the peer's definition: conv and linear only, 2 FLOPs per"
          + " multiply-add, second order 9 T F(S) + 3 F(Q) and first order 3 T F(S) + 3 F(Q) per"
          + " task), that rate as a percentage of the host's matrix-multiply ceiling measured in"
          + " the same process just before (float32 2048x2048 products through libtorch on as many"
          + " threads as task workers), the peak resident memory (VmHWM of the measuring"
          + " process) and how much of it the timed loop added (peak minus the resident memory"
          + " once the tasks are sampled, the peer's rss_before_mb).",
      "Configurations: so-T1, so-T5, so-T10 (second-order MAML = rhg with strategy=replay:"
          + " the stored graph's hypergradient in less memory), fo-T1, fo-T5, fo-T10"
          + " (first-order MAML = fmaml), the group 'maml' of these six; the horizon sweep"
          + " rhg-graph-T<H>, rhg-replay-T<H> and trhg-T<H> for H = 10, 25, 50, 100, the group"
          + " 'horizon'; 'all'.",
      "With more than one configuration each runs in a JVM of its own (so the peak memory is the"
          + " configuration's), unless --in-process.",
      "Example: boml bench --configs so-T5,fo-T5 --threads 2 --json"
    })
final class BenchCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(BenchCommand.class);

  @ParentCommand Main main;

  @Option(
      names = "--configs",
      split = ",",
      paramLabel = "NAME",
      description = "Configurations or groups, comma-separated (default: ${DEFAULT-VALUE}).",
      defaultValue = "maml")
  List<String> configs = new ArrayList<>();

  @Option(
      names = "--iterations",
      description = "Timed meta-iterations of the MAML matrix (default: ${DEFAULT-VALUE}).",
      defaultValue = "30")
  int iterations;

  @Option(
      names = "--warmup",
      description = "Discarded warm-up iterations of the MAML matrix (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int warmup;

  @Option(
      names = "--horizon-iterations",
      description = "Timed iterations of the horizon sweep (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int horizonIterations;

  @Option(
      names = "--horizon-warmup",
      description = "Warm-up iterations of the horizon sweep (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int horizonWarmup;

  @Option(names = "--threads", description = "Cores to use in all (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--workers",
      description =
          "Task worker threads; each gets threads / workers intra-op threads of libtorch"
              + " (default: --threads, i.e. one intra-op thread per worker).")
  Integer workers;

  @Option(
      names = "--upper-passes",
      paramLabel = "SCHEDULE",
      description =
          "one-at-a-time: one task's upper pass (the query batch's forward and backward pass) at"
              + " a time, on all the workers' threads, while the other workers wait, so that the"
              + " process holds one task's query batch, as the peer does; concurrent: every"
              + " worker computes its own when it gets there, faster (10-25%% for this workload on"
              + " two cores) with one query batch per worker (default: ${DEFAULT-VALUE};"
              + " train's default is concurrent).",
      defaultValue = Assembly.ONE_AT_A_TIME)
  String upperPasses;

  @Option(
      names = "--truncation",
      description = "K of trhg in the horizon sweep (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int truncation;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Omniglot folder with images_background_small1 and _small2, as for the peer (default:"
              + " ${DEFAULT-VALUE}, relative to the working directory).",
      defaultValue = "../shared/data/omniglot")
  Path dataDir;

  @Option(
      names = "--seed",
      description = "Fixes initialization and tasks (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--in-process",
      description = "Run every configuration in this JVM (peak memory is then the running peak).")
  boolean inProcess;

  @Option(names = "--json", description = "Print the results as JSON on standard output.")
  boolean json;

  @Override
  public Integer call() throws DatasetException, IOException {
    List<BenchConfiguration> selected = BenchConfiguration.select(configs, truncation);
    if (threads == null) {
      threads = Runtime.getRuntime().availableProcessors();
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    int taskWorkers = workers == null ? threads : workers;
    if (taskWorkers < 1) {
      throw new IllegalArgumentException("--workers must be >= 1, got " + taskWorkers);
    }
    if (!Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException(
          "no Omniglot folder at "
              + dataDir.toAbsolutePath()
              + "; give --data-dir DIR (the folder with images_background_small1 and _small2)");
    }
    JsonArray results = new JsonArray();
    Optional<ChildJvm> child = inProcess ? Optional.empty() : ChildJvm.ofThisProcess();
    if (selected.size() > 1 && child.isPresent()) {
      for (BenchConfiguration configuration : selected) {
        String out = child.get().run(childArguments(configuration, taskWorkers));
        results.addAll(JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("results"));
      }
    } else {
      ComputeEngines.get().setIntraOpThreads(Math.max(1, threads / taskWorkers));
      PluginRegistry registry = PluginRegistry.discover(main.allPluginDirectories());
      registry.warnAboutRefusals(LOG::warn);
      for (BenchConfiguration configuration : selected) {
        BenchRunner runner =
            new BenchRunner(
                registry,
                new BenchRunner.Settings(
                    dataDir,
                    configuration.maml() ? iterations : horizonIterations,
                    configuration.maml() ? warmup : horizonWarmup,
                    taskWorkers,
                    upperPasses,
                    seed));
        results.add(runner.run(configuration, System.err::println));
      }
    }
    JsonObject document = new JsonObject();
    document.add("machine", machine(results));
    document.addProperty("threads", threads);
    document.addProperty("workers", taskWorkers);
    document.addProperty("upper_passes", upperPasses);
    document.add("results", results);
    if (json) {
      System.out.println(JsonOutput.pretty(document));
    } else {
      printTable(document);
    }
    return 0;
  }

  private List<String> childArguments(BenchConfiguration configuration, int taskWorkers) {
    List<String> arguments = new ArrayList<>();
    for (Path directory : main.pluginDirectories) {
      arguments.add("--plugins");
      arguments.add(directory.toString());
    }
    arguments.addAll(
        List.of(
            "bench",
            "--configs",
            configuration.name(),
            "--iterations",
            Integer.toString(iterations),
            "--warmup",
            Integer.toString(warmup),
            "--horizon-iterations",
            Integer.toString(horizonIterations),
            "--horizon-warmup",
            Integer.toString(horizonWarmup),
            "--threads",
            Integer.toString(threads),
            "--workers",
            Integer.toString(taskWorkers),
            "--upper-passes",
            upperPasses,
            "--truncation",
            Integer.toString(truncation),
            "--data-dir",
            dataDir.toString(),
            "--seed",
            Long.toString(seed),
            "--in-process",
            "--json"));
    return arguments;
  }

  /**
   * The host, and the convolution kernels as the process that ran the first configuration chose
   * them (with its intra-op threads; this process may not have started the engine at all).
   */
  private static JsonObject machine(JsonArray results) {
    JsonObject machine = new JsonObject();
    machine.addProperty("cpu", cpuModel());
    machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
    machine.addProperty("java", Runtime.version().toString());
    machine.addProperty("native_allocator", ComputeEngines.get().nativeAllocator());
    machine.add("convolutions", results.get(0).getAsJsonObject().get("convolutions"));
    return machine;
  }

  /**
   * The CPU as {@code /proc/cpuinfo} names it, with its family and model numbers (the model name
   * alone, e.g. "AMD EPYC" in a VM, may not tell hosts apart).
   */
  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      return cpuField(lines, "model name")
          + " (family "
          + cpuField(lines, "cpu family")
          + ", model "
          + cpuField(lines, "model")
          + ")";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuField(List<String> cpuinfo, String key) {
    return cpuinfo.stream()
        .filter(
            line -> line.startsWith(key) && line.substring(0, line.indexOf(':')).trim().equals(key))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("unknown");
  }

  private static void printTable(JsonObject document) {
    JsonObject machine = document.getAsJsonObject("machine");
    System.out.printf(
        Locale.ROOT,
        "%s, %d cores; %d threads, %d task workers, upper passes %s; native allocator %s; float32"
            + " convolutions %s%n",
        machine.get("cpu").getAsString(),
        machine.get("cores").getAsInt(),
        document.get("threads").getAsInt(),
        document.get("workers").getAsInt(),
        document.get("upper_passes").getAsString(),
        machine.get("native_allocator").getAsString(),
        machine.get("convolutions").getAsString());
    System.out.printf(
        Locale.ROOT,
        "%-16s %4s %10s %10s %10s %9s %9s %10s %10s %10s%n",
        "configuration",
        "n",
        "median s",
        "p10 s",
        "p90 s",
        "GFLOP/s",
        "ceiling",
        "peak MiB",
        "added MiB",
        "cpu s/it");
    for (var element : document.getAsJsonArray("results")) {
      JsonObject result = element.getAsJsonObject();
      JsonObject timing = result.getAsJsonObject("timing");
      System.out.printf(
          Locale.ROOT,
          "%-16s %4d %10.4f %10.4f %10.4f %9s %9s %10.0f %10.0f %10.3f%n",
          result.get("config").getAsString(),
          timing.get("n").getAsInt(),
          timing.get("median_s").getAsDouble(),
          timing.get("p10_s").getAsDouble(),
          timing.get("p90_s").getAsDouble(),
          result.has("gflops_per_s_analytic")
              ? String.format(
                  Locale.ROOT, "%.1f", result.get("gflops_per_s_analytic").getAsDouble())
              : "-",
          result.has("fraction_of_ceiling")
              ? String.format(
                  Locale.ROOT, "%.0f%%", 100 * result.get("fraction_of_ceiling").getAsDouble())
              : "-",
          result.get("peak_rss_mb").getAsDouble(),
          result.get("peak_rss_mb").getAsDouble() - result.get("rss_before_mb").getAsDouble(),
          result.get("cpu_s_per_iteration").getAsDouble());
    }
  }
}
