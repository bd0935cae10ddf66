package org.boml.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.boml.api.DatasetException;
import org.boml.api.Options;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.JsonOutput;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunLock;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code boml-spark train}: meta-trains on a Spark cluster ({@code local[N]} or a standalone master
 * URL) and saves a run directory that {@code boml evaluate} reads.
 */
@Command(
    name = "boml-spark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Meta-trains on Apache Spark: the driver keeps the meta-parameters and the outer optimizer,"
          + " the executors solve ranges of every meta-batch. Same seed, same tasks as boml train;"
          + " the result equals boml train's up to the order of float additions.",
      "Example: boml-spark --master spark://127.0.0.1:7077 --dataset omniglot --dataset-option"
          + " data-dir=DIR --dataset-option ways=5 --dataset-option shots=1 --inner-lr 0.4"
          + " --meta-batch 4 --iterations 100 --out RUN_DIR"
    })
public final class SparkTrainCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(SparkTrainCommand.class);

  @Option(
      names = "--master",
      description = "Spark master: local[N] or spark://HOST:PORT (default: ${DEFAULT-VALUE}).",
      defaultValue = "local[2]")
  String master;

  @Option(
      names = "--partitions",
      description = "Ranges each meta-batch is split into (default: Spark's default parallelism).")
  Integer partitions;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "Any Spark setting (repeatable), e.g. spark.executor.memory=2g.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--dataset", description = "Dataset plugin (default: ${DEFAULT-VALUE}).")
  String dataset = "sinusoid";

  @Option(
      names = "--dataset-option",
      paramLabel = "KEY=VALUE",
      description = "Dataset option (repeatable), e.g. data-dir=DIR or ways=5.")
  Map<String, String> datasetOptions = new LinkedHashMap<>();

  @Option(names = "--model", description = "Model plugin (default: the dataset's usual model).")
  String model = "";

  @Option(names = "--model-option", paramLabel = "KEY=VALUE", description = "Model option.")
  Map<String, String> modelOptions = new LinkedHashMap<>();

  @Option(
      names = "--method",
      description = "maml (= rhg), fomaml (= fmaml) or a hypergradient plugin (default: maml).")
  String method = "maml";

  @Option(names = "--family", description = "meta-init or meta-feature (default: meta-init).")
  String family = "meta-init";

  @Option(names = "--inner-steps", description = "Lower-level steps T (default: 1).")
  int innerSteps = 1;

  @Option(names = "--inner-lr", description = "Lower-level learning rate (default: 0.01).")
  double innerLearningRate = 0.01;

  @Option(names = "--meta-batch", description = "Tasks per meta-iteration (default: 25).")
  int metaBatch = 25;

  @Option(names = "--meta-lr", description = "Outer (Adam) learning rate (default: 0.001).")
  double metaLearningRate = 0.001;

  @Option(names = "--iterations", description = "Meta-iterations (default: 100).")
  int iterations = 100;

  @Option(names = "--seed", description = "Fixes initialization and tasks (default: 0).")
  long seed;

  @Option(names = "--dtype", description = "float32 or float64 (default: float32).")
  String dataType = "float32";

  @Option(
      names = "--out",
      paramLabel = "RUN_DIR",
      description =
          "Save the configuration and the meta-parameters here (for boml evaluate). The"
              + " directory is locked while the run trains, as by boml train, and one that already"
              + " holds a run is refused unless --overwrite is given.")
  Path out;

  @Option(
      names = "--overwrite",
      description =
          "With --out: replace the run RUN_DIR already holds (its files are deleted once the"
              + " cluster has opened the dataset).")
  boolean overwrite;

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
  }

  /**
   * Runs the command line and returns its exit code.
   *
   * @param err where errors go
   * @param args the arguments
   * @return 0 on success, 2 for an invalid option value, 1 for any other failure (such as an
   *     unknown plugin)
   */
  static int run(PrintWriter err, String... args) {
    return new CommandLine(new SparkTrainCommand())
        .setErr(err)
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine
                  .getErr()
                  .println(
                      "boml-spark: "
                          + e.getMessage()
                          + (e instanceof TrainingDivergedException
                              ? " Try a smaller --meta-lr or --inner-lr."
                              : ""));
              return e instanceof IllegalArgumentException ? 2 : 1;
            })
        .execute(args);
  }

  @Override
  public Integer call() throws IOException, DatasetException {
    // Every Spark task solves its range with one libtorch intra-op thread, as executors do
    // (ExecutorJvm); set before the engine starts, so that local[N] computes what a cluster does.
    if (System.getProperty(ExecutorJvm.INTRA_OP) == null) {
      System.setProperty(ExecutorJvm.INTRA_OP, "1");
    }
    if (overwrite && out == null) {
      throw new IllegalArgumentException(
          "--overwrite replaces the run in --out RUN_DIR; give --out, or drop --overwrite");
    }
    requireLocalDirectory();
    PluginRegistry registry = PluginRegistry.discover(List.of());
    registry.warnAboutRefusals(LOG::warn);
    RunSpec spec = spec(registry);
    if (out == null) {
      return train(spec, registry, null);
    }
    try (RunLock lock = RunLock.acquireForWriting(out, LOG::warn, LOG::info)) {
      RunDirectory run = new RunDirectory(out);
      run.refuseToReplace(overwrite, false);
      return train(spec, registry, run);
    }
  }

  /**
   * Refuses to start Spark without a directory for its local files: unless {@code spark.local.dir}
   * is set, Spark keeps its block and shuffle files under {@code java.io.tmpdir}, and a missing or
   * read-only one fails deep inside Spark's start-up.
   */
  private void requireLocalDirectory() {
    if (conf.containsKey("spark.local.dir") || System.getenv("SPARK_LOCAL_DIRS") != null) {
      return;
    }
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    if (!Files.isDirectory(temporary) || !Files.isWritable(temporary)) {
      throw new IllegalArgumentException(
          "java.io.tmpdir "
              + temporary
              + (Files.isDirectory(temporary) ? " is not writable" : " does not exist")
              + ": Spark keeps its block and shuffle files there. Create it, point"
              + " -Djava.io.tmpdir at a writable directory, or give --conf spark.local.dir=DIR");
    }
  }

  /** Trains on the cluster and saves the run, if there is a run directory (its lock held). */
  private int train(RunSpec spec, PluginRegistry registry, RunDirectory run)
      throws IOException, DatasetException {
    // Spark's start-up and per-job INFO lines would bury the progress lines.
    Configurator.setLevel("org.apache.spark", Level.WARN);
    Configurator.setLevel("org.sparkproject", Level.WARN);
    SparkConf sparkConf = new SparkConf().setMaster(master).setAppName("boml-spark " + dataset);
    conf.forEach(sparkConf::set);
    ExecutorJvm.configure(sparkConf);
    try (JavaSparkContext spark = new JavaSparkContext(sparkConf)) {
      int parts = partitions != null ? partitions : spark.defaultParallelism();
      try (SparkMetaTrainer trainer = new SparkMetaTrainer(spark, spec, registry, parts)) {
        if (run != null) {
          if (overwrite) {
            run.deleteRun();
          }
          spec.inputShape = trainer.assembly().inputShape().getShape();
          spec.outputs = trainer.assembly().dataset().outputs();
          run.saveSpec(spec);
        }
        double[] seconds = new double[iterations];
        long[] last = {System.nanoTime()};
        double[] lastObjective = {Double.NaN};
        trainer.train(
            iterations,
            (IterationReport report) -> {
              long now = System.nanoTime();
              seconds[report.iteration() - 1] = (now - last[0]) / 1e9;
              last[0] = now;
              lastObjective[0] = report.upperObjective();
              System.err.printf(
                  Locale.ROOT,
                  "iteration %d/%d  upper objective %.5f  %.3f s%n",
                  report.iteration(),
                  iterations,
                  report.upperObjective(),
                  seconds[report.iteration() - 1]);
            });
        if (run != null) {
          run.saveParameters(trainer.learner().metaParameters());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("master", master);
        summary.put("partitions", parts);
        summary.put("iterations", iterations);
        summary.put("first_iteration_s", rounded(seconds[0], 1e3));
        // null (JsonOutput) after a single iteration
        summary.put("mean_later_iteration_s", rounded(meanAfterFirst(seconds), 1e4));
        summary.put("last_upper_objective", lastObjective[0]);
        System.out.println(JsonOutput.compact(summary));
      }
    }
    return 0;
  }

  private static double rounded(double value, double scale) {
    return Double.isFinite(value) ? Math.round(value * scale) / scale : value;
  }

  private static double meanAfterFirst(double[] seconds) {
    if (seconds.length < 2) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 1; i < seconds.length; i++) {
      sum += seconds[i];
    }
    return sum / (seconds.length - 1);
  }

  private RunSpec spec(PluginRegistry registry) {
    RunSpec spec = new RunSpec();
    spec.dataset = dataset;
    Options.forProvider(datasetOptions, registry.dataset(dataset));
    spec.datasetOptions = datasetOptions;
    spec.model = model;
    spec.modelOptions = modelOptions;
    spec.method = method;
    spec.hypergradient = RunSpec.METHOD_ALIASES.getOrDefault(method, method);
    spec.dynamicsOptions.put("lr", Double.toString(innerLearningRate));
    spec.family = family;
    spec.innerSteps = innerSteps;
    spec.metaBatch = metaBatch;
    spec.metaLearningRate = metaLearningRate;
    spec.iterations = iterations;
    spec.seed = seed;
    spec.dtype = dataType;
    spec.workers = 1;
    return spec;
  }
}
