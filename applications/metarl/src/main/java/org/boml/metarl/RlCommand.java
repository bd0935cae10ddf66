package org.boml.metarl;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.boml.runtime.cli.spi.LogInterval;
import org.boml.runtime.cli.spi.MethodOptions;
import org.boml.runtime.cli.spi.Subcommand;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.JsonLines;
import org.boml.runtime.run.MetricsLog;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.train.Statistic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code boml rl}: MAML for reinforcement learning, compared with joint pretraining. */
@Command(
    name = "rl",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Meta-reinforcement learning (MAML-RL, Finn et al. 2017, section 5.3): meta-learns the"
          + " initialization of a Gaussian MLP policy so that one policy-gradient step (REINFORCE"
          + " with a linear feature baseline) adapts it to a new task; the meta-gradient goes"
          + " through the inner step (rhg) or is first order (fmaml). Then trains a policy on all"
          + " tasks jointly with the same budget, and measures the average return on held-out"
          + " tasks of both and of the random initialization before and after each adaptation"
          + " step, with 95%% confidence intervals.",
      "Writes config.json, metrics.jsonl (one line per training iteration),"
          + " meta-parameters.safetensors (the MAML policy) and result.json to the run directory."
    })
public final class RlCommand implements Subcommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN_DIR",
      description = "The run directory; it must not hold a run already.")
  Path out;

  @Option(
      names = "--env",
      paramLabel = "NAME",
      description =
          "The task family, an EnvironmentFamily found on the module path (default:"
              + " ${DEFAULT-VALUE}).")
  String environment = Navigation2d.NAME;

  @Option(
      names = "--hidden",
      split = ",",
      paramLabel = "W",
      description = "Widths of the policy's hidden layers (default: ${DEFAULT-VALUE}).")
  List<Integer> hidden = new ArrayList<>(List.of(100, 100));

  @Option(
      names = "--inner-steps",
      paramLabel = "T",
      description = "Adaptation steps in meta-training (default: ${DEFAULT-VALUE}).")
  int innerSteps = 1;

  @Option(
      names = "--inner-lr",
      paramLabel = "LR",
      description = "Step size alpha of each adaptation step (default: ${DEFAULT-VALUE}).")
  double innerLearningRate = 0.1;

  @Option(
      names = "--episodes",
      paramLabel = "N",
      description = "Episodes per policy-gradient estimate (default: ${DEFAULT-VALUE}).")
  int episodes = 20;

  @Option(
      names = "--discount",
      paramLabel = "GAMMA",
      description = "Discount of the returns-to-go (default: ${DEFAULT-VALUE}).")
  double discount = 0.99;

  @Option(
      names = "--meta-batch",
      paramLabel = "N",
      description = "Tasks per meta-iteration (default: ${DEFAULT-VALUE}).")
  int metaBatch = 20;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description =
          "Meta-iterations of MAML, and iterations of the joint pretraining (default:"
              + " ${DEFAULT-VALUE}).")
  int iterations = 50;

  @Option(
      names = "--outer-lr",
      paramLabel = "LR",
      description = "Adam's step size on the policy's parameters (default: ${DEFAULT-VALUE}).")
  double outerLearningRate = 0.01;

  @Option(
      names = "--method",
      paramLabel = "NAME",
      description = "Hypergradient plugin: rhg or fmaml (default: ${DEFAULT-VALUE}).")
  String method = "rhg";

  @Mixin MethodOptions methodOptions = new MethodOptions();

  @Option(
      names = "--eval-tasks",
      paramLabel = "N",
      description = "Held-out tasks of the evaluation (default: ${DEFAULT-VALUE}).")
  int evaluationTasks = 40;

  @Option(
      names = "--eval-steps",
      paramLabel = "K",
      description = "Adaptation steps of the evaluation (default: ${DEFAULT-VALUE}).")
  int evaluationSteps = 3;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of the initialization, the tasks and the episodes (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description =
          "Print progress to standard error every N iterations; 0 never (default:"
              + " ${DEFAULT-VALUE}).")
  int logEvery = 10;

  @Override
  public Integer call() throws IOException {
    MetaRl.Settings settings = settings();
    EnvironmentFamily family = family(environment);
    PluginRegistry plugins = Subcommand.plugins(spec);
    MetaRl.requireCompatible(settings, plugins);
    RunDirectory run = new RunDirectory(out);
    if (!run.runFiles().isEmpty()) {
      throw new IllegalArgumentException(
          "--out " + out + " already holds a run (" + run.runFiles() + "); choose a new directory");
    }
    run.saveJson(RunDirectory.CONFIG, config());
    PrintStream err = System.err;
    RlResult result;
    try (JsonLines metrics = JsonLines.append(out.resolve(MetricsLog.FILE))) {
      result =
          MetaRl.run(
              family,
              settings,
              plugins,
              report -> {
                metrics.write(report);
                if (LogInterval.isDue(logEvery, report.iteration(), report.iterations())) {
                  err.printf(
                      Locale.ROOT,
                      "%s iteration %d/%d: return %.2f before, %.2f after adaptation,"
                          + " |gradient| %.3g, %.1f s%n",
                      report.policy(),
                      report.iteration(),
                      report.iterations(),
                      report.returnBefore(),
                      report.returnAfter(),
                      report.gradientNorm(),
                      report.seconds());
                }
              },
              (name, x) -> {
                if (name.equals(RlResult.MAML)) {
                  try {
                    run.saveParameters(x);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("settings", config());
    document.put("result", result);
    run.saveJson(RunDirectory.RESULT, document);
    System.out.println(toText(result));
    return 0;
  }

  private MetaRl.Settings settings() {
    return new MetaRl.Settings(
        hidden,
        innerSteps,
        innerLearningRate,
        episodes,
        discount,
        metaBatch,
        iterations,
        outerLearningRate,
        method,
        methodOptions.options(),
        evaluationTasks,
        evaluationSteps,
        seed);
  }

  /**
   * The task family of a name, among the providers on the module path.
   *
   * @param name the name
   * @return the family
   * @throws IllegalArgumentException naming the families there are
   */
  static EnvironmentFamily family(String name) {
    List<EnvironmentFamily> all =
        ServiceLoader.load(EnvironmentFamily.class.getModule().getLayer(), EnvironmentFamily.class)
            .stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    return all.stream()
        .filter(family -> family.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--env "
                        + name
                        + " is not a known environment family; known: "
                        + all.stream()
                            .map(EnvironmentFamily::name)
                            .collect(Collectors.joining(", "))));
  }

  private Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "rl");
    config.put("env", environment);
    config.put("hidden", hidden);
    config.put("innerSteps", innerSteps);
    config.put("innerLearningRate", innerLearningRate);
    config.put("episodes", episodes);
    config.put("discount", discount);
    config.put("metaBatch", metaBatch);
    config.put("iterations", iterations);
    config.put("outerLearningRate", outerLearningRate);
    config.put("method", method);
    config.put("methodOptions", methodOptions.options());
    config.put("evaluationTasks", evaluationTasks);
    config.put("evaluationSteps", evaluationSteps);
    config.put("seed", seed);
    return config;
  }

  private String toText(RlResult result) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%s: average return on %d held-out tasks (95%% CI) after k adaptation steps of lr %s%n",
            environment,
            evaluationTasks,
            innerLearningRate));
    text.append(String.format(Locale.ROOT, "%-11s", "policy"));
    for (int k = 0; k <= evaluationSteps; k++) {
      text.append(String.format(Locale.ROOT, " %18s", "k = " + k));
    }
    text.append(System.lineSeparator());
    result
        .returns()
        .forEach(
            (name, statistics) -> {
              text.append(String.format(Locale.ROOT, "%-11s", name));
              for (Statistic s : statistics) {
                text.append(String.format(Locale.ROOT, " %9.2f +- %5.2f", s.mean(), s.ci95()));
              }
              text.append(System.lineSeparator());
            });
    result
        .trainingSeconds()
        .forEach(
            (name, seconds) ->
                text.append(String.format(Locale.ROOT, "%s trained in %.1f s%n", name, seconds)));
    text.append("run directory: ").append(out);
    return text.toString();
  }
}
