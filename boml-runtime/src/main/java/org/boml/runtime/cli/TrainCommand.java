package org.boml.runtime.cli;

import ai.djl.ndarray.types.DataType;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.Dataset;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.MetaSplit;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.Plugin;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.Evaluation;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.OuterOptimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code boml train}: meta-trains, then evaluates on held-out tasks. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Meta-trains a model, then evaluates it on held-out (meta-test) tasks before and after"
          + " adaptation. With no arguments: MAML on sinusoid regression (10-shot, one inner"
          + " step of lr 0.01, meta-batch 25, Adam 1e-3), no data needed."
    })
final class TrainCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(TrainCommand.class);
  private static final Map<String, String> METHODS = Map.of("maml", "rhg", "fomaml", "fmaml");

  @ParentCommand Main main;

  @Option(names = "--dataset", description = "Dataset plugin (default: ${DEFAULT-VALUE}).", defaultValue = "sinusoid")
  String dataset;

  @Option(names = "--shots", description = "Training examples per class (per task for regression); a dataset option.")
  Integer shots;

  @Option(names = "--queries", description = "Validation examples per class (per task for regression); a dataset option.")
  Integer queries;

  @Option(names = "--dataset-option", paramLabel = "KEY=VALUE", description = "Any other dataset option (repeatable).")
  Map<String, String> datasetOptions = new LinkedHashMap<>();

  @Option(names = "--model", description = "Model plugin (default: the dataset's usual model).")
  String model;

  @Option(names = "--model-option", paramLabel = "KEY=VALUE", description = "Model option (repeatable), e.g. hidden=40,40.")
  Map<String, String> modelOptions = new LinkedHashMap<>();

  @Option(names = "--method", description = "maml (= rhg), fomaml (= fmaml), or any hypergradient plugin (default: ${DEFAULT-VALUE}).",
      defaultValue = "maml")
  String method;

  @Option(names = "--method-option", paramLabel = "KEY=VALUE", description = "Hypergradient option (repeatable), e.g. strategy=replay.")
  Map<String, String> methodOptions = new LinkedHashMap<>();

  @Option(names = "--dynamics", description = "Lower-level dynamics plugin (default: ${DEFAULT-VALUE}).", defaultValue = "gd")
  String dynamics;

  @Option(names = "--family", description = "meta-init (x = initial weights) or meta-feature (x = features, y = head); default: ${DEFAULT-VALUE}.",
      defaultValue = "meta-init")
  String family;

  @Option(names = "--inner-steps", description = "Lower-level steps T (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  int innerSteps;

  @Option(names = "--inner-lr", description = "Lower-level learning rate, the dynamics' lr option (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.01")
  double innerLearningRate;

  @Option(names = "--meta-batch", description = "Tasks per meta-iteration (default: ${DEFAULT-VALUE}).", defaultValue = "25")
  int metaBatch;

  @Option(names = "--optimizer", description = "Outer optimizer: adam, sgd or momentum (default: ${DEFAULT-VALUE}).", defaultValue = "adam")
  String optimizer;

  @Option(names = "--meta-lr", description = "Outer learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.001")
  double metaLearningRate;

  @Option(names = "--momentum", description = "Momentum of --optimizer momentum (default: ${DEFAULT-VALUE}).", defaultValue = "0.9")
  double momentum;

  @Option(names = "--lr-decay", description = "Multiply the outer learning rate by this every --lr-decay-every iterations (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  double decay;

  @Option(names = "--lr-decay-every", description = "Iterations between learning-rate decays (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
  int decayEvery;

  @Option(names = "--clip-norm", description = "Clip the hypergradient to this norm; 0 = off (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  double clipNorm;

  @Option(names = "--iterations", description = "Meta-iterations (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
  int iterations;

  @Option(names = "--seed", description = "Fixes initialization, tasks and results (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long seed;

  @Option(names = "--workers", description = "Threads computing the tasks of a meta-batch; results do not depend on it (default: the number of cores).")
  Integer workers;

  @Option(names = "--dtype", description = "float32 or float64 (default: ${DEFAULT-VALUE}).", defaultValue = "float32")
  String dataType;

  @Option(names = "--eval-episodes", description = "Held-out tasks for the final evaluation (default: ${DEFAULT-VALUE}).", defaultValue = "600")
  int evalEpisodes;

  @Option(names = "--json", description = "Print the result as JSON on standard output.")
  boolean json;

  @Override
  public Integer call() {
    PluginRegistry registry = PluginRegistry.discover(main.allPluginDirectories());
    registry.requireHealthy();
    DatasetProvider datasetProvider = registry.dataset(dataset);
    Map<String, String> datasetValues = new LinkedHashMap<>(datasetOptions);
    putIfGiven(datasetValues, "shots", shots);
    putIfGiven(datasetValues, "queries", queries);
    String hypergradientName = METHODS.getOrDefault(method, method);
    HypergradientModuleProvider hypergradient = registry.hypergradient(hypergradientName);
    IterationModuleProvider iteration = registry.iteration(dynamics);
    Map<String, String> dynamicsValues = new LinkedHashMap<>();
    if (iteration.options().stream().anyMatch(o -> o.name().equals("lr"))) {
      dynamicsValues.put("lr", Double.toString(innerLearningRate));
    }
    int workerCount = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    useIntraOpThreadsPerWorker(workerCount);
    try (Dataset data = datasetProvider.open(datasetValues)) {
      ModelProvider modelProvider = registry.model(model == null ? datasetProvider.defaultModel() : model);
      Model net = modelProvider.create(data, modelOptions);
      LOG.info("{}; model {}; method {} ({} with {} dynamics), {} inner step(s)", data.describe(),
          modelProvider.name(), method, versioned(hypergradient), versioned(iteration), innerSteps);
      try (MetaLearner learner = MetaLearner.builder()
          .dataset(data)
          .model(net)
          .family(parseFamily(family))
          .dynamics(iteration.name(), iteration.create(dynamicsValues))
          .hypergradient(hypergradient.name(), hypergradient.create(methodOptions))
          .innerSteps(innerSteps)
          .metaBatch(metaBatch)
          .optimizer(parseOptimizer(), metaLearningRate)
          .learningRateDecay(decay, decayEvery)
          .clipNorm(clipNorm)
          .workers(workerCount)
          .dataType(parseDataType())
          .seed(seed)
          .build()) {
        learner.train(iterations, new Progress(System.err, System.console() != null));
        Evaluation evaluation = learner.evaluate(MetaSplit.TEST, evalEpisodes, seed + 1);
        report(evaluation);
      }
    } catch (org.boml.api.DatasetException e) {
      throw new IllegalArgumentException("dataset '" + dataset + "': " + e.getMessage(), e);
    }
    return 0;
  }

  /**
   * Shares the cores between the workers: each task runs its operations on cores / workers
   * threads (read once, when the engine starts; an explicit -Dai.djl.pytorch.num_threads wins).
   */
  private static void useIntraOpThreadsPerWorker(int workerCount) {
    String property = "ai.djl.pytorch.num_threads";
    if (System.getProperty(property) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(property, Integer.toString(Math.max(1, cores / workerCount)));
    }
  }

  private void report(Evaluation evaluation) {
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("dataset", dataset);
      document.put("method", method);
      document.put("iterations", iterations);
      document.put("seed", seed);
      document.put("metric", evaluation.metric());
      document.put("episodes", evaluation.afterAdaptation().count());
      document.put("before", statistic(evaluation.beforeAdaptation()));
      document.put("after", statistic(evaluation.afterAdaptation()));
      System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(document));
    } else {
      System.out.printf(Locale.ROOT, "meta-test %s over %d held-out tasks:%n", evaluation.metric(),
          evaluation.afterAdaptation().count());
      System.out.printf(Locale.ROOT, "  before adaptation: %.4f +- %.4f (95%% CI)%n",
          evaluation.beforeAdaptation().mean(), evaluation.beforeAdaptation().ci95());
      System.out.printf(Locale.ROOT, "  after adaptation:  %.4f +- %.4f (95%% CI)%n",
          evaluation.afterAdaptation().mean(), evaluation.afterAdaptation().ci95());
    }
  }

  private static Map<String, Double> statistic(org.boml.runtime.train.Statistic statistic) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("mean", statistic.mean());
    values.put("ci95", statistic.ci95());
    return values;
  }

  private static String versioned(Plugin plugin) {
    return plugin.name() + " " + plugin.version();
  }

  private static void putIfGiven(Map<String, String> values, String key, Integer value) {
    if (value != null) {
      values.put(key, value.toString());
    }
  }

  private static Family parseFamily(String text) {
    return switch (text) {
      case "meta-init" -> Family.META_INITIALIZATION;
      case "meta-feature" -> Family.META_FEATURE;
      default -> throw new IllegalArgumentException("--family must be meta-init or meta-feature, got '" + text + "'");
    };
  }

  private OuterOptimizer parseOptimizer() {
    return switch (optimizer) {
      case "adam" -> OuterOptimizer.adam();
      case "sgd" -> OuterOptimizer.sgd();
      case "momentum" -> OuterOptimizer.momentum(momentum);
      default -> throw new IllegalArgumentException("--optimizer must be adam, sgd or momentum, got '" + optimizer + "'");
    };
  }

  private DataType parseDataType() {
    return switch (dataType) {
      case "float32" -> DataType.FLOAT32;
      case "float64" -> DataType.FLOAT64;
      default -> throw new IllegalArgumentException("--dtype must be float32 or float64, got '" + dataType + "'");
    };
  }
}
