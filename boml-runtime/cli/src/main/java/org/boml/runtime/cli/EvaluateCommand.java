package org.boml.runtime.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.Variables;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.Devices;
import org.boml.runtime.run.ResumeChecks;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunLock;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.Evaluation;
import org.boml.runtime.train.MetaLearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code boml evaluate}: adapts saved meta-parameters to held-out tasks and reports the metric. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluates the meta-parameters of a run directory (train --out RUN_DIR): on each held-out"
          + " task, adapts with the run's lower-level dynamics and measures the metric on the"
          + " task's validation split; prints the mean with a 95%% confidence interval.",
      "By default the tasks come from the run's own dataset (meta-test split); --dataset and the"
          + " dataset flags override it, --tasks-dir evaluates on a folder of your own episodes"
          + " (DIR/<task>/support/<class>/*.png and DIR/<task>/query/<class>/*.png). A model"
          + " trained for N classes meets an M-way task with every row of its head set to the"
          + " mean of the N trained rows before adaptation."
    })
final class EvaluateCommand implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(EvaluateCommand.class);

  @ParentCommand Main main;

  @Option(
      names = "--checkpoint",
      paramLabel = "RUN_DIR",
      required = true,
      description = "The run directory to evaluate.")
  Path checkpoint;

  @Mixin DatasetChoice data = new DatasetChoice();

  @Mixin DeviceChoice devices = new DeviceChoice();

  @Option(
      names = "--tasks-dir",
      paramLabel = "DIR",
      description = "Evaluate on your own episodes in DIR (each task once).")
  Path tasksDir;

  @Option(
      names = "--episodes",
      description = "Held-out tasks to sample (default: ${DEFAULT-VALUE}).",
      defaultValue = "600")
  int episodes;

  @Option(
      names = "--seed",
      description = "Fixes the tasks (default: the run's seed + 1, as at the end of training).")
  Long seed;

  @Option(names = "--inner-steps", description = "Lower-level steps (default: the run's).")
  Integer innerSteps;

  @Option(
      names = "--workers",
      description = "Threads evaluating tasks (default: the number of cores).")
  Integer workers;

  @Mixin ConfigOption config = new ConfigOption();

  @Mixin JsonOption output = new JsonOption();

  @Override
  public Integer call() throws IOException, DatasetException {
    PluginRegistry registry = PluginRegistry.discover(main.allPluginDirectories());
    registry.warnAboutRefusals(LOG::warn);
    RunDirectory run = new RunDirectory(checkpoint);
    // evaluate only reads: it takes no lock and writes nothing into the run directory
    RunLock.holder(checkpoint)
        .ifPresent(
            pid ->
                LOG.info(
                    "{} is being trained by process {}; evaluating its files as they are now"
                        + " ({} appears when training ends)",
                    checkpoint,
                    pid,
                    RunDirectory.PARAMETERS));
    RunSpec spec = run.loadSpec();
    Map<String, String> savedVersions = new LinkedHashMap<>(spec.versions);
    applyOverrides(spec, registry);
    Threads.shareCoresBetween(spec.workers);
    DeviceChoice.check(spec.devices);
    try (NDManager manager = NDManager.newBaseManager();
        Assembly assembly =
            Assembly.forEvaluation(spec, registry, new Shape(spec.inputShape), spec.outputs)) {
      ResumeChecks.versionChanges(savedVersions, assembly.versions()).forEach(LOG::warn);
      Variables saved = run.loadParameters(manager);
      LOG.info("evaluating {} on {}", checkpoint, assembly.describe());
      try (MetaLearner learner = assembly.learner().initialMetaParameters(saved).build()) {
        Evaluation evaluation =
            learner.evaluate(MetaSplit.TEST, episodes, seed != null ? seed : spec.seed + 1);
        Reports.print(evaluation, spec, output.json, null);
      }
    }
    return 0;
  }

  private void applyOverrides(RunSpec spec, PluginRegistry registry) {
    if (tasksDir != null) {
      if (data.dataset != null) {
        throw new IllegalArgumentException("give either --tasks-dir or --dataset, not both");
      }
      boolean omniglotStyle = "omniglot".equals(spec.dataset);
      spec.dataset = "tasks-dir";
      Map<String, String> options = new LinkedHashMap<>();
      options.put("dir", tasksDir.toString());
      options.put("channels", Long.toString(spec.inputShape[0]));
      options.put("image-size", Long.toString(spec.inputShape[spec.inputShape.length - 1]));
      // Omniglot models see strokes as 1 on a 0 background: invert ordinary dark-on-light images.
      options.put("invert", Boolean.toString(omniglotStyle));
      spec.datasetOptions = options;
    } else {
      boolean sameDataset = data.dataset == null || data.dataset.equals(spec.dataset);
      spec.dataset = sameDataset ? spec.dataset : data.dataset;
      spec.datasetOptions =
          data.options(registry, spec.dataset, sameDataset ? spec.datasetOptions : Map.of());
    }
    if (innerSteps != null) {
      spec.innerSteps = innerSteps;
    }
    spec.workers = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    // the devices of this machine, not those of the machine that trained the run
    spec.devices = devices.orElse(Devices.AUTO);
  }
}
