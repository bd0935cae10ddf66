package org.boml.runtime.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.boml.api.DatasetException;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.Seeds;

/**
 * Runs one {@link BenchConfiguration} on the reference workload of the PyTorch peer (see {@code
 * ../shared/bench/peer/README.md}): Omniglot with the peer's character split and rotations, 5-way
 * 1-shot with 15 queries per class, Conv-4 with 64 filters and batch statistics, gradient descent
 * with learning rate 0.4 in the inner loop, meta-batch 4, Adam 1e-3. The tasks of every iteration
 * are sampled before the timed loop; a timed meta-iteration is one {@link MetaLearner#step(int)}:
 * the meta-batch's hypergradients (on the learner's worker threads), their mean and the Adam step.
 * Before the timed loop of a MAML configuration the host's {@link MatmulCeiling} is measured with
 * the same threads, and the result gives the workload's GFLOP/s as a fraction of it.
 */
public final class BenchRunner {
  /** Classes per task. */
  public static final int WAYS = 5;

  /** Support images per class. */
  public static final int SHOTS = 1;

  /** Query images per class. */
  public static final int QUERIES = 15;

  /** Tasks per meta-iteration. */
  public static final int META_BATCH = 4;

  /** The inner learning rate. */
  public static final double INNER_LR = 0.4;

  /** The outer (Adam) learning rate. */
  public static final double META_LR = 1e-3;

  private final PluginRegistry registry;
  private final Settings settings;

  /**
   * How to run.
   *
   * @param dataDir the Omniglot folder (the small background subsets, as for the peer)
   * @param iterations timed meta-iterations
   * @param warmup untimed meta-iterations first
   * @param workers task worker threads
   * @param upperPasses how the workers schedule the tasks' upper passes, as {@code --upper-passes}
   *     names it ({@link Assembly#upperPasses})
   * @param seed fixes initialization and tasks
   */
  public record Settings(
      Path dataDir, int iterations, int warmup, int workers, String upperPasses, long seed) {
    /** Checks the values. */
    public Settings {
      Assembly.upperPasses(upperPasses);
      if (iterations < 1) {
        throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
      }
      if (warmup < 0) {
        throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + warmup);
      }
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + workers);
      }
    }
  }

  /**
   * A runner.
   *
   * @param registry where the plugins come from
   * @param settings how to run
   */
  public BenchRunner(PluginRegistry registry, Settings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  /**
   * The run configuration of the reference workload for a benchmark configuration.
   *
   * @param configuration what to run
   * @return the spec
   */
  public RunSpec spec(BenchConfiguration configuration) {
    RunSpec spec = new RunSpec();
    spec.dataset = "omniglot";
    Map<String, String> data = new LinkedHashMap<>();
    data.put("data-dir", settings.dataDir().toString());
    data.put("split", "peer");
    data.put("rotations", "true");
    data.put("image-size", "28");
    data.put("ways", Integer.toString(WAYS));
    data.put("shots", Integer.toString(SHOTS));
    data.put("queries", Integer.toString(QUERIES));
    spec.datasetOptions = data;
    spec.model = "convnet";
    spec.modelOptions = new LinkedHashMap<>(Map.of("blocks", "4", "filters", "64"));
    spec.method = configuration.hypergradient();
    spec.hypergradient = configuration.hypergradient();
    spec.hypergradientOptions = new LinkedHashMap<>(configuration.options());
    spec.dynamics = "gd";
    spec.dynamicsOptions = new LinkedHashMap<>(Map.of("lr", Double.toString(INNER_LR)));
    spec.innerSteps = configuration.steps();
    spec.metaBatch = META_BATCH;
    spec.optimizer = "adam";
    spec.metaLearningRate = META_LR;
    spec.iterations = settings.warmup() + settings.iterations();
    spec.seed = settings.seed();
    spec.workers = settings.workers();
    spec.upperPasses = settings.upperPasses();
    return spec;
  }

  /**
   * Measures a configuration.
   *
   * @param configuration what to run
   * @param progress told about each iteration, for messages
   * @return the result: configuration, timing (seconds per meta-iteration), every timed iteration's
   *     seconds, FLOPs, GFLOP/s, the matmul ceiling and the fraction of it (MAML matrix only), peak
   *     resident memory and the resident memory before the timed loop
   * @throws DatasetException if Omniglot cannot be opened
   */
  public JsonObject run(BenchConfiguration configuration, Consumer<String> progress)
      throws DatasetException {
    RunSpec spec = spec(configuration);
    int total = spec.iterations;
    double[] times = new double[settings.iterations()];
    double lastObjective;
    double cpuSeconds;
    double ceiling;
    double residentBefore;
    long flops;
    try (Assembly assembly = Assembly.forTraining(spec, registry);
        NDManager tasks = NDManager.newBaseManager();
        PresampledDataset presampled =
            new PresampledDataset(assembly.dataset(), seeds(total), tasks)) {
      flops =
          FlopCount.metaIteration(
              FlopCount.forwardPerImage(assembly.inputShape(), assembly.model().parameterSpecs()),
              WAYS * SHOTS,
              WAYS * QUERIES,
              configuration.steps(),
              configuration.secondOrder(),
              META_BATCH);
      // the peer's rss_before_mb: resident memory once the tasks are sampled, before the timed
      // loop (and here before the matmul ceiling, whose freed memory the tasks reuse)
      residentBefore = ComputeEngines.get().residentMemoryMiB();
      progress.accept(
          String.format(
              java.util.Locale.ROOT,
              "%s: %s; resident %.0f MiB (peak %.0f)",
              configuration.name(),
              presampled.describe(),
              residentBefore,
              ComputeEngines.get().peakMemoryMiB()));
      ceiling = configuration.maml() ? MatmulCeiling.measure(settings.workers()) : Double.NaN;
      try (MetaLearner learner = assembly.learner().dataset(presampled).build()) {
        IterationReport report = null;
        long cpuStart = 0;
        for (int i = 0; i < total; i++) {
          if (i == settings.warmup()) {
            cpuStart = processCpuNanos();
          }
          long start = System.nanoTime();
          report = learner.step(total);
          double seconds = (System.nanoTime() - start) / 1e9;
          if (i >= settings.warmup()) {
            times[i - settings.warmup()] = seconds;
          }
          progress.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "%s %s %d/%d: %.3f s, meta-loss %.4f, resident %.0f MiB",
                  configuration.name(),
                  i < settings.warmup() ? "warm-up" : "iteration",
                  i < settings.warmup() ? i + 1 : i + 1 - settings.warmup(),
                  i < settings.warmup() ? settings.warmup() : settings.iterations(),
                  seconds,
                  report.upperObjective(),
                  ComputeEngines.get().residentMemoryMiB()));
        }
        lastObjective = report.upperObjective();
        cpuSeconds = (processCpuNanos() - cpuStart) / 1e9 / settings.iterations();
      }
    }
    JsonObject result = result(configuration, times, flops, lastObjective);
    result.addProperty("cpu_s_per_iteration", cpuSeconds);
    result.addProperty("rss_before_mb", residentBefore);
    if (configuration.maml()) {
      double achieved = result.get("gflops_per_s_analytic").getAsDouble();
      result.addProperty("matmul_ceiling_gflops_per_s", ceiling);
      result.addProperty("fraction_of_ceiling", achieved / ceiling);
    }
    return result;
  }

  /** CPU time of the whole process (all threads, user and system), nanoseconds. */
  private static long processCpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(java.time.Duration::toNanos)
        .orElse(0L);
  }

  private long[] seeds(int iterations) {
    long[] seeds = new long[iterations * META_BATCH];
    for (int i = 0; i < iterations; i++) {
      for (int k = 0; k < META_BATCH; k++) {
        seeds[i * META_BATCH + k] = Seeds.task(settings.seed(), i, k);
      }
    }
    return seeds;
  }

  private JsonObject result(
      BenchConfiguration configuration, double[] times, long flops, double lastObjective) {
    TimingSummary summary = TimingSummary.of(times);
    JsonObject result = new JsonObject();
    result.addProperty("config", configuration.name());
    result.addProperty("hypergradient", configuration.hypergradient());
    JsonObject options = new JsonObject();
    configuration.options().forEach(options::addProperty);
    result.add("options", options);
    result.addProperty("steps", configuration.steps());
    if (configuration.maml()) {
      result.addProperty("order", configuration.secondOrder() ? "second" : "first");
    }
    result.addProperty("workers", settings.workers());
    result.addProperty("upper_passes", settings.upperPasses());
    result.addProperty("intra_op_threads", ComputeEngines.get().intraOpThreads());
    result.addProperty("convolutions", ComputeEngines.get().convolutionKernels());
    result.addProperty("warmup", settings.warmup());
    JsonObject timing = new JsonObject();
    timing.addProperty("n", summary.n());
    timing.addProperty("median_s", summary.median());
    timing.addProperty("p10_s", summary.p10());
    timing.addProperty("p90_s", summary.p90());
    timing.addProperty("q1_s", summary.q1());
    timing.addProperty("q3_s", summary.q3());
    timing.addProperty("min_s", summary.min());
    timing.addProperty("max_s", summary.max());
    timing.addProperty("mean_s", summary.mean());
    result.add("timing", timing);
    JsonArray all = new JsonArray();
    for (double t : times) {
      all.add(Math.round(t * 1e5) / 1e5);
    }
    result.add("times_s", all);
    if (configuration.maml()) {
      result.addProperty("analytic_flops", flops);
      result.addProperty("gflops_per_s_analytic", flops / summary.median() / 1e9);
    }
    result.addProperty("peak_rss_mb", ComputeEngines.get().peakMemoryMiB());
    result.addProperty("final_meta_loss", lastObjective);
    return result;
  }
}
