package org.boml.runtime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.runtime.Devices;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.Checkpoint;
import org.boml.runtime.run.MetricsLog;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.Evaluation;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.MetaLearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code boml train}: meta-trains, then evaluates on held-out tasks. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Meta-trains a model, then evaluates it on held-out (meta-test) tasks before and after"
          + " adaptation. With no arguments: MAML on sinusoid regression (10-shot, one inner"
          + " step of lr 0.01, meta-batch 25, Adam 1e-3, 10,000 iterations), no data needed.",
      "Example: boml train --dataset omniglot --data-dir DIR --method maml --ways 5 --shots 1"
          + " --queries 15 --inner-steps 5 --inner-lr 0.4 --meta-batch 4 --meta-lr 0.001"
          + " --iterations 1000 --seed 0 --out RUN_DIR"
    })
final class TrainCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(TrainCommand.class);
  private static final Map<String, String> METHODS = Map.of("maml", "rhg", "fomaml", "fmaml");
  private static final List<String> RESUME_COMPATIBLE =
      List.of(
          "--resume",
          "--iterations",
          "--json",
          "--workers",
          "--devices",
          "--plugins",
          "--eval-episodes",
          "--checkpoint-every");

  @ParentCommand Main main;

  @Mixin DatasetChoice data = new DatasetChoice();

  @Mixin DeviceChoice devices = new DeviceChoice();

  @Option(names = "--model", description = "Model plugin (default: the dataset's usual model).")
  String model;

  @Option(
      names = "--model-option",
      paramLabel = "KEY=VALUE",
      description = "Model option (repeatable), e.g. hidden=40,40.")
  Map<String, String> modelOptions = new LinkedHashMap<>();

  @Option(
      names = "--method",
      description =
          "maml (= rhg), fomaml (= fmaml), or any hypergradient plugin (default: ${DEFAULT-VALUE}).",
      defaultValue = "maml")
  String method;

  @Option(
      names = "--method-option",
      paramLabel = "KEY=VALUE",
      description = "Hypergradient option (repeatable), e.g. strategy=replay.")
  Map<String, String> methodOptions = new LinkedHashMap<>();

  @Option(
      names = "--dynamics",
      description = "Lower-level dynamics plugin (default: ${DEFAULT-VALUE}).",
      defaultValue = "gd")
  String dynamics;

  @Option(
      names = "--dynamics-option",
      paramLabel = "KEY=VALUE",
      description = "Dynamics option (repeatable), e.g. momentum=0.5 or alpha=0.8.")
  Map<String, String> dynamicsOptions = new LinkedHashMap<>();

  @Option(
      names = "--family",
      description =
          "meta-init (x = initial weights) or meta-feature (x = features, y = head); default: ${DEFAULT-VALUE}.",
      defaultValue = "meta-init")
  String family;

  @Option(
      names = "--inner-steps",
      description = "Lower-level steps T (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int innerSteps;

  @Option(
      names = "--inner-lr",
      description =
          "Lower-level learning rate, the dynamics' lr option (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.01")
  double innerLearningRate;

  @Option(
      names = "--meta-batch",
      description = "Tasks per meta-iteration (default: ${DEFAULT-VALUE}).",
      defaultValue = "25")
  int metaBatch;

  @Option(
      names = "--optimizer",
      description = "Outer optimizer: adam, sgd or momentum (default: ${DEFAULT-VALUE}).",
      defaultValue = "adam")
  String optimizer;

  @Option(
      names = "--meta-lr",
      description = "Outer learning rate (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.001")
  double metaLearningRate;

  @Option(
      names = "--momentum",
      description = "Momentum of --optimizer momentum (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.9")
  double momentum;

  @Option(
      names = "--lr-decay",
      description =
          "Multiply the outer learning rate by this every --lr-decay-every iterations (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  double decay;

  @Option(
      names = "--lr-decay-every",
      description = "Iterations between learning-rate decays (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int decayEvery;

  @Option(
      names = "--clip-norm",
      description = "Clip the hypergradient to this norm; 0 = off (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double clipNorm;

  @Option(
      names = "--iterations",
      description = "Meta-iterations (default: ${DEFAULT-VALUE}).",
      defaultValue = "10000")
  int iterations;

  @Option(
      names = "--seed",
      description = "Fixes initialization, tasks and results (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--workers",
      description =
          "Threads computing the tasks of a meta-batch; results do not depend on it (default: the number of cores).")
  Integer workers;

  @Option(
      names = "--dtype",
      description = "float32 or float64 (default: ${DEFAULT-VALUE}).",
      defaultValue = "float32")
  String dataType;

  @Option(
      names = "--eval-episodes",
      description = "Held-out tasks for the final evaluation (default: ${DEFAULT-VALUE}).",
      defaultValue = "600")
  int evalEpisodes;

  @Option(
      names = "--out",
      paramLabel = "RUN_DIR",
      description =
          "Save the configuration, the meta-parameters and the result here (for evaluate).")
  Path out;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "With --out: save a checkpoint every N iterations (default: every 5%% of the run).")
  int checkpointEvery;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description =
          "Continue an interrupted run from its last checkpoint, with its saved configuration (--iterations"
              + " may raise the total); the final meta-parameters equal those of an uninterrupted run.")
  Path resume;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Read options from a JSON object whose keys are these options' names without dashes;"
              + " flags given here override it.")
  Path config; // expanded by ConfigFile before parsing; declared so that --help documents it

  @Option(names = "--json", description = "Print the result as JSON on standard output.")
  boolean json;

  @Spec CommandSpec commandSpec;

  @Override
  public Integer call() throws DatasetException, IOException {
    PluginRegistry registry = PluginRegistry.discover(main.allPluginDirectories());
    registry.requireHealthy();
    RunDirectory run =
        resume != null ? new RunDirectory(resume) : out == null ? null : new RunDirectory(out);
    RunSpec spec = resume != null ? resumedSpec(run) : spec(registry);
    Threads.shareCoresBetween(spec.workers);
    DeviceChoice.check(spec.devices);
    try (Assembly assembly = Assembly.forTraining(spec, registry);
        MetaLearner learner = assembly.learner().build()) {
      LOG.info("{}", assembly.describe());
      int done = 0;
      if (resume != null && Checkpoint.exists(run)) {
        done = Checkpoint.restore(run, learner);
        LOG.info("resuming {} after iteration {} of {}", resume, done, spec.iterations);
      } else if (run != null) {
        spec.inputShape = assembly.inputShape().getShape();
        spec.outputs = assembly.dataset().outputs();
        run.saveSpec(spec);
      }
      if (run == null) {
        learner.train(spec.iterations - done, new Progress(System.err, System.console() != null));
      } else {
        trainWithCheckpoints(learner, run, spec, done);
        run.saveParameters(learner.metaParameters());
      }
      Evaluation evaluation = learner.evaluate(MetaSplit.TEST, evalEpisodes, spec.seed + 1);
      Reports.print(evaluation, spec, json, run);
    }
    return 0;
  }

  /** Trains to the planned iterations, logging metrics and checkpointing every few iterations. */
  private void trainWithCheckpoints(MetaLearner learner, RunDirectory run, RunSpec spec, int done)
      throws IOException {
    int every = checkpointEvery > 0 ? checkpointEvery : Math.max(1, spec.iterations / 20);
    Progress progress = new Progress(System.err, System.console() != null);
    try (MetricsLog metrics = MetricsLog.open(run, done)) {
      while (learner.completedIterations() < spec.iterations) {
        int chunk = Math.min(every, spec.iterations - learner.completedIterations());
        learner.train(
            chunk,
            report -> {
              metrics.append(report);
              progress.accept(
                  new IterationReport(
                      report.iteration(),
                      spec.iterations,
                      report.upperObjective(),
                      report.hypergradientNorm(),
                      report.learningRate(),
                      report.seconds()));
            });
        metrics.flush();
        Checkpoint.save(run, learner);
      }
    }
  }

  /** The saved configuration of the run to resume; training flags would contradict it. */
  private RunSpec resumedSpec(RunDirectory run) throws IOException {
    List<String> given =
        commandSpec.commandLine().getParseResult().matchedOptions().stream()
            .map(option -> option.longestName())
            .filter(name -> !RESUME_COMPATIBLE.contains(name))
            .toList();
    if (!given.isEmpty()) {
      throw new IllegalArgumentException(
          "--resume continues the configuration saved in "
              + run.path()
              + "; drop "
              + given
              + " (only "
              + RESUME_COMPATIBLE
              + " may accompany it)");
    }
    RunSpec spec = run.loadSpec();
    if (workers != null) {
      spec.workers = workers;
    }
    spec.devices = devices.orElse(spec.devices);
    if (commandSpec.commandLine().getParseResult().hasMatchedOption("--iterations")) {
      spec.iterations = iterations;
      run.saveSpec(spec);
    }
    return spec;
  }

  private RunSpec spec(PluginRegistry registry) {
    RunSpec spec = new RunSpec();
    spec.dataset = data.dataset == null ? "sinusoid" : data.dataset;
    spec.datasetOptions = data.options(registry, spec.dataset, Map.of());
    spec.model = model == null ? "" : model;
    spec.modelOptions = modelOptions;
    spec.method = method;
    spec.hypergradient = METHODS.getOrDefault(method, method);
    spec.hypergradientOptions = methodOptions;
    spec.dynamics = dynamics;
    if (registry.iteration(dynamics).options().stream().anyMatch(o -> o.name().equals("lr"))) {
      spec.dynamicsOptions.put("lr", Double.toString(innerLearningRate));
    }
    spec.dynamicsOptions.putAll(dynamicsOptions);
    spec.family = family;
    spec.innerSteps = innerSteps;
    spec.metaBatch = metaBatch;
    spec.optimizer = optimizer;
    spec.metaLearningRate = metaLearningRate;
    spec.momentum = momentum;
    spec.learningRateDecay = decay;
    spec.learningRateDecayEvery = decayEvery;
    spec.clipNorm = clipNorm;
    spec.iterations = iterations;
    spec.seed = seed;
    spec.dtype = dataType;
    spec.workers = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    spec.devices = devices.orElse(Devices.AUTO);
    return spec;
  }
}
