package org.boml.runtime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.DatasetException;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.MetaSplit;
import org.boml.runtime.plot.RunReport;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.Checkpoint;
import org.boml.runtime.run.Devices;
import org.boml.runtime.run.MetricsLog;
import org.boml.runtime.run.ResumeChecks;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunLock;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.Evaluation;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.PeriodicValidation;
import org.boml.runtime.train.Ranges;
import org.boml.runtime.train.TrainingDivergedException;
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
  private static final int MIN_VALIDATION_INTERVAL = 50;

  /** The exit code of a run stopped by a signal (the JVM ends with the signal's own status). */
  private static final int EXIT_STOPPED = 130;

  private static final List<String> RESUME_COMPATIBLE =
      List.of(
          "--resume",
          "--iterations",
          "--json",
          "--workers",
          "--upper-passes",
          "--devices",
          "--plugins",
          "--eval-episodes",
          "--checkpoint-every");

  /** The settings that may accompany --resume and are saved in the configuration. */
  private static final List<String> RESUME_SAVED =
      List.of("--iterations", "--eval-episodes", "--checkpoint-every");

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
          "maml (= rhg), fomaml (= fmaml), any hypergradient plugin, or a dynamics plugin that"
              + " defines a method (metasgd, mtnet: its dynamics with hypergradient rhg)"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "maml")
  String method;

  @Option(
      names = "--method-option",
      paramLabel = "KEY=VALUE",
      description = "Hypergradient option (repeatable), e.g. strategy=replay.")
  Map<String, String> methodOptions = new LinkedHashMap<>();

  @Mixin DynamicsChoice lowerLevel = new DynamicsChoice();

  @Option(
      names = "--dynamics-option",
      paramLabel = "KEY=VALUE",
      description =
          "Dynamics option (repeatable), e.g. momentum=0.5, alpha=0.8, or learn-lr=true to"
              + " meta-learn the inner step size (./boml plugins lists every option).")
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
      names = "--skip-bad-tasks",
      paramLabel = "N",
      description =
          "Skip up to N tasks whose loss or hypergradient is not finite, with a warning naming the"
              + " iteration and task, instead of stopping; the run stops at the next one"
              + " (default: ${DEFAULT-VALUE}, stop at the first).",
      defaultValue = "0")
  int skipBadTasks;

  @Option(
      names = "--iterations",
      description = "Meta-iterations (default: ${DEFAULT-VALUE}).",
      defaultValue = "10000")
  int iterations;

  @Option(
      names = "--validate-every",
      paramLabel = "N",
      description =
          "Measure the loss and accuracy after adaptation on --validation-episodes tasks of the"
              + " validation split every N iterations, for metrics.jsonl, the plots and the"
              + " progress line; 0 = never (default: every 5%% of the run, at least "
              + MIN_VALIDATION_INTERVAL
              + " iterations apart).")
  Integer validateEvery;

  @Option(
      names = "--validation-episodes",
      paramLabel = "N",
      description =
          "Validation tasks per measurement, the same tasks each time (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int validationEpisodes;

  @Option(
      names = "--seed",
      description = "Fixes initialization, tasks and results (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--workers",
      description =
          "Threads computing the tasks of a meta-batch, each with cores / N libtorch threads; at"
              + " fixed libtorch threads results do not depend on it (default: the number of"
              + " cores).")
  Integer workers;

  @Option(
      names = "--upper-passes",
      paramLabel = "SCHEDULE",
      description =
          "concurrent: every worker computes its task's upper pass (the validation batch's"
              + " forward and backward pass) when it gets there; one-at-a-time: one task's upper"
              + " pass at a time, on all the workers' threads, while the others wait, holding one"
              + " validation batch's activations instead of one per worker (10-25%% more time"
              + " for MAML's convolutional network on two cores, more for tiny models) (default:"
              + " concurrent, or the saved schedule with --resume).")
  String upperPasses;

  @Option(
      names = "--dtype",
      description = "float32 or float64 (default: ${DEFAULT-VALUE}).",
      defaultValue = "float32")
  String dataType;

  @Option(
      names = "--eval-episodes",
      description =
          "Held-out tasks for the final evaluation, saved in the run's configuration (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "600")
  int evalEpisodes;

  @Option(
      names = "--out",
      paramLabel = "RUN_DIR",
      description =
          "Save the configuration, checkpoints, the meta-parameters and the result here (for"
              + " evaluate and --resume). The run holds the directory's lock (.lock) while it"
              + " trains; a directory that already holds a run is refused unless --overwrite is"
              + " given. Ctrl-C or SIGTERM stops after the iteration in progress, writes its"
              + " checkpoint and prints the command that resumes.")
  Path out;

  @Option(
      names = "--overwrite",
      description =
          "With --out: replace the run RUN_DIR already holds (its configuration, checkpoint,"
              + " metrics, meta-parameters, result and plots are deleted once the new run has"
              + " opened its dataset). Without it, train refuses a directory that holds a run.")
  boolean overwrite;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "With --out: save a checkpoint every N iterations (default: every 5%% of the run); saved"
              + " in the run's configuration.")
  int checkpointEvery;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description =
          "Continue an interrupted run from its last checkpoint, with its saved configuration"
              + " (--iterations may raise the total, --eval-episodes and --checkpoint-every change"
              + " and are saved); the final meta-parameters equal those of an uninterrupted run."
              + " Refused when RUN_DIR has no checkpoint.")
  Path resume;

  @Mixin ConfigOption config = new ConfigOption();

  @Mixin JsonOption output = new JsonOption();

  @Spec CommandSpec commandSpec;

  /** Ctrl-C and SIGTERM, for the training loop. */
  private GracefulStop stop = new GracefulStop(System.err, 0);

  @Override
  public Integer call() throws DatasetException, IOException {
    checkRanges();
    if (overwrite && out == null) {
      throw new IllegalArgumentException(
          "--overwrite replaces the run in --out RUN_DIR; give --out, or drop --overwrite");
    }
    Path directory = resume != null ? resume : out;
    try (GracefulStop signals = GracefulStop.install()) {
      stop = signals;
      try {
        return directory == null ? train(null) : trainLocked(directory);
      } catch (GracefulStop.StopRequested stopped) {
        signals.settle(); // checkpoint written, run directory released
        return EXIT_STOPPED;
      }
    }
  }

  /** Trains in a run directory, holding its lock. */
  private int trainLocked(Path directory) throws DatasetException, IOException {
    try (RunLock lock = RunLock.acquireForWriting(directory, LOG::warn, LOG::info)) {
      return train(new RunDirectory(directory));
    }
  }

  /** Trains with the lock of the run directory held, if there is one, then evaluates. */
  private int train(RunDirectory run) throws DatasetException, IOException {
    if (resume == null && run != null) {
      run.refuseToReplace(overwrite, true);
    }
    RunSpec spec = resume != null ? resumedSpec(run) : null;
    PluginRegistry registry = PluginRegistry.discover(main.allPluginDirectories());
    registry.warnAboutRefusals(LOG::warn);
    spec = spec != null ? spec : spec(registry);
    Map<String, String> savedVersions = new LinkedHashMap<>(spec.versions);
    Threads.shareCoresBetween(spec.workers);
    DeviceChoice.check(spec.devices);
    try (Assembly assembly = Assembly.forTraining(spec, registry);
        MetaLearner learner = assembly.learner().build()) {
      LOG.info("{}", assembly.describe());
      TrajectoryMemory.warning(
              learner,
              spec.hypergradient.equals("rhg")
                  && !"replay".equals(spec.hypergradientOptions.get("strategy")),
              spec.innerSteps,
              Math.min(
                  spec.workers > 0 ? spec.workers : Runtime.getRuntime().availableProcessors(),
                  spec.metaBatch),
              TrajectoryMemory.iterateBytes(
                  assembly.model().parameterSpecs(),
                  Assembly.family(spec.family),
                  spec.dtype.equals("float64") ? Double.BYTES : Float.BYTES),
              TrajectoryMemory.availableBytes())
          .ifPresent(LOG::warn);
      int done = 0;
      if (resume != null) {
        done = Checkpoint.restore(run, learner);
        ResumeChecks.requireIterationsAhead(run, done, spec.iterations, changes("--iterations"));
        ResumeChecks.versionChanges(savedVersions, assembly.versions()).forEach(LOG::warn);
        spec.versions.clear();
        spec.versions.putAll(savedVersions); // the run keeps what it started with
        if (RESUME_SAVED.stream().anyMatch(this::changes)) {
          run.saveSpec(spec);
        }
        LOG.info("resuming {} after iteration {} of {}", resume, done, spec.iterations);
      } else {
        checkValidation(learner, spec);
        if (run != null) {
          if (overwrite) {
            run.deleteRun();
          }
          spec.inputShape = assembly.inputShape().getShape();
          spec.outputs = assembly.dataset().outputs();
          run.saveSpec(spec);
        }
      }
      if (run == null) {
        trainWithoutCheckpoints(learner, spec, done);
      } else {
        trainWithCheckpoints(learner, run, spec, done);
        run.saveParameters(learner.metaParameters());
      }
      stop.finished(
          "boml: stopped during the final evaluation; "
              + (run == null
                  ? "nothing is saved without --out"
                  : "training is complete and saved in "
                      + run.path()
                      + ". Evaluate it with: boml evaluate --checkpoint "
                      + Shell.quote(run.path())
                      + ", or write its result.json with: "
                      + resumeCommand(run)));
      Evaluation evaluation = learner.evaluate(MetaSplit.TEST, spec.evalEpisodes, spec.seed + 1);
      Reports.print(evaluation, spec, output.json, run);
      if (run != null) {
        RunReport.write(run.path());
      }
    }
    return 0;
  }

  /** Trains to the planned iterations without a run directory; a signal stops it. */
  private void trainWithoutCheckpoints(MetaLearner learner, RunSpec spec, int done) {
    stop.training(() -> "Nothing is saved without --out.");
    Progress progress = new Progress(System.err, System.console() != null);
    try {
      learner.train(
          spec.iterations - done,
          validating(learner, spec, progress.andThen(report -> stop.stopIfRequested())));
    } catch (GracefulStop.StopRequested e) {
      throw stop.stopped(
          "boml: stopped after iteration "
              + learner.completedIterations()
              + " of "
              + spec.iterations
              + "; nothing is saved without --out (give --out RUN_DIR to be able to resume)");
    } catch (TrainingDivergedException e) {
      throw new IllegalStateException(withAdvice(e), e);
    }
  }

  /**
   * Trains to the planned iterations, logging metrics and checkpointing every few iterations; a
   * signal stops it after the iteration in progress, with a checkpoint of that iteration.
   */
  private void trainWithCheckpoints(MetaLearner learner, RunDirectory run, RunSpec spec, int done)
      throws IOException {
    int every = spec.checkpointEvery > 0 ? spec.checkpointEvery : Math.max(1, spec.iterations / 20);
    Progress progress = new Progress(System.err, System.console() != null);
    AtomicInteger saved = new AtomicInteger(done);
    stop.training(() -> kept(run, saved.get()).strip());
    try (MetricsLog metrics = MetricsLog.open(run, done)) {
      while (learner.completedIterations() < spec.iterations) {
        int chunk = Math.min(every, spec.iterations - learner.completedIterations());
        learner.train(
            chunk,
            validating(
                learner,
                spec,
                report -> {
                  metrics.append(report);
                  progress.accept(report.withIterations(spec.iterations));
                  stop.stopIfRequested();
                }));
        metrics.flush();
        Checkpoint.save(run, learner);
        saved.set(learner.completedIterations());
        stop.stopIfRequested();
      }
    } catch (GracefulStop.StopRequested e) { // metrics are closed, so flushed, by now
      if (learner.completedIterations() > saved.get()) {
        Checkpoint.save(run, learner);
      }
      throw stop.stopped(
          "boml: stopped after iteration "
              + learner.completedIterations()
              + " of "
              + spec.iterations
              + "; its checkpoint is in "
              + run.path().resolve(Checkpoint.FILE)
              + ". Resume with: "
              + resumeCommand(run));
    } catch (RuntimeException e) {
      throw new IllegalStateException(withAdvice(e) + kept(run, saved.get()), e);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + kept(run, saved.get()), e);
    }
  }

  /**
   * Turns the default validation off, with a warning, where the dataset has no validation tasks;
   * refuses an explicit {@code --validate-every} there.
   */
  private void checkValidation(MetaLearner learner, RunSpec spec) {
    if (spec.validateEvery == 0) {
      return;
    }
    Optional<String> reason = learner.unavailable(MetaSplit.VALIDATION);
    if (reason.isEmpty()) {
      return;
    }
    if (validateEvery != null) {
      throw new IllegalArgumentException(
          "--validate-every " + validateEvery + ": " + reason.get() + "; use --validate-every 0");
    }
    LOG.warn("no validation measurements: {}", reason.get());
    spec.validateEvery = 0;
  }

  private static PeriodicValidation validating(
      MetaLearner learner, RunSpec spec, Consumer<IterationReport> next) {
    return new PeriodicValidation(learner, spec.validateEvery, spec.validationEpisodes, next);
  }

  /** The command that resumes a run, with the plugin directories given to this one. */
  private String resumeCommand(RunDirectory run) {
    StringBuilder command = new StringBuilder("boml");
    for (Path plugins : main.pluginDirectories) {
      command.append(" --plugins ").append(Shell.quote(plugins));
    }
    return command.append(" train --resume ").append(Shell.quote(run.path())).toString();
  }

  /**
   * An error's message; where training diverged, with the flags that may help (the learner states
   * only the facts).
   */
  static String withAdvice(RuntimeException error) {
    if (!(error instanceof TrainingDivergedException diverged)) {
      return error.getMessage();
    }
    String skipping =
        switch (diverged.reason()) {
          case BAD_TASKS -> ", or --skip-bad-tasks N to skip up to N such tasks with a warning";
          case SKIP_CAP_REACHED -> ", or a larger --skip-bad-tasks";
          default -> "";
        };
    return diverged.getMessage()
        + " Try a smaller --meta-lr or --inner-lr, or --clip-norm"
        + skipping
        + ".";
  }

  /** What a failed run leaves to resume from. */
  private static String kept(RunDirectory run, int saved) {
    return saved > 0
        ? "\nThe checkpoint of iteration "
            + saved
            + " in "
            + run.path()
            + " is kept; once the cause is fixed, continue with --resume "
            + run.path()
        : "\nNo checkpoint had been written yet.";
  }

  /** Refuses out-of-range numbers before any plugin is opened, naming the flag. */
  private void checkRanges() {
    Ranges.positive("--inner-lr", innerLearningRate);
    Ranges.atLeast("--inner-steps", innerSteps, 0);
    Ranges.atLeast("--meta-batch", metaBatch, 1);
    Ranges.positive("--meta-lr", metaLearningRate);
    Ranges.inClosedOpen("--momentum", momentum, 0, 1);
    Ranges.inOpenClosed("--lr-decay", decay, 0, 1);
    Ranges.atLeast("--lr-decay-every", decayEvery, 1);
    Ranges.nonNegative("--clip-norm", clipNorm);
    Ranges.atLeast("--skip-bad-tasks", skipBadTasks, 0);
    Ranges.atLeast("--iterations", iterations, 1);
    Ranges.atLeast("--workers", workers == null ? 1 : workers, 1);
    if (upperPasses != null) {
      Assembly.upperPasses(upperPasses);
    }
    Ranges.atLeast("--eval-episodes", evalEpisodes, 1);
    Ranges.atLeast("--checkpoint-every", checkpointEvery, 0);
    Ranges.atLeast("--validate-every", validateEvery == null ? 0 : validateEvery, 0);
    Ranges.atLeast("--validation-episodes", validationEpisodes, 1);
  }

  /** Whether a setting that the saved configuration holds is given on the command line. */
  private boolean changes(String option) {
    return commandSpec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /**
   * The saved configuration of the run to resume, with the settings that may change applied;
   * training flags would contradict it, and a run without a checkpoint is refused.
   */
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
    ResumeChecks.requireCheckpoint(run);
    if (workers != null) {
      spec.workers = workers;
    }
    if (upperPasses != null) {
      spec.upperPasses = upperPasses;
    }
    spec.devices = devices.orElse(spec.devices);
    if (changes("--iterations")) {
      spec.iterations = iterations;
    }
    if (changes("--eval-episodes")) {
      spec.evalEpisodes = evalEpisodes;
    }
    if (changes("--checkpoint-every")) {
      spec.checkpointEvery = checkpointEvery;
    }
    return spec;
  }

  /**
   * Whether a method name is a dynamics plugin and no hypergradient plugin: a method such as
   * Meta-SGD is its lower-level dynamics, differentiated by the exact reverse mode {@code rhg}.
   */
  private static boolean namesDynamicsOnly(PluginRegistry registry, String name) {
    return registry.plugins().stream()
            .noneMatch(
                p -> p.provider() instanceof HypergradientModuleProvider && p.name().equals(name))
        && registry.iterations().stream().anyMatch(p -> p.name().equals(name));
  }

  private RunSpec spec(PluginRegistry registry) {
    RunSpec spec = new RunSpec();
    spec.dataset = data.dataset == null ? "sinusoid" : data.dataset;
    spec.datasetOptions = data.options(registry, spec.dataset, Map.of());
    spec.model = model == null ? "" : model;
    spec.modelOptions = modelOptions;
    spec.method = method;
    spec.hypergradient = RunSpec.METHOD_ALIASES.getOrDefault(method, method);
    spec.hypergradientOptions = methodOptions;
    spec.dynamics = lowerLevel.dynamics;
    if (!RunSpec.METHOD_ALIASES.containsKey(method) && namesDynamicsOnly(registry, method)) {
      if (changes(DynamicsChoice.OPTION) && !lowerLevel.dynamics.equals(method)) {
        throw new IllegalArgumentException(
            "--method "
                + method
                + " is a dynamics plugin and defines the dynamics itself; drop --dynamics "
                + lowerLevel.dynamics);
      }
      spec.hypergradient = "rhg";
      spec.dynamics = method;
    }
    if (registry.iteration(spec.dynamics).options().stream().anyMatch(o -> o.name().equals("lr"))) {
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
    spec.skipBadTasks = skipBadTasks;
    spec.iterations = iterations;
    spec.seed = seed;
    spec.validateEvery =
        validateEvery != null
            ? validateEvery
            : Math.max(MIN_VALIDATION_INTERVAL, spec.iterations / 20);
    spec.validationEpisodes = validationEpisodes;
    spec.evalEpisodes = evalEpisodes;
    spec.checkpointEvery = checkpointEvery;
    spec.dtype = dataType;
    spec.workers = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    spec.upperPasses = upperPasses == null ? Assembly.CONCURRENT : upperPasses;
    spec.devices = devices.orElse(Devices.AUTO);
    return spec;
  }
}
