package org.boml.hyperclean;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.datasets.fashionmnist.LabeledImages;
import org.boml.runtime.cli.spi.LogInterval;
import org.boml.runtime.cli.spi.Subcommand;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code boml hyperclean}: data hyper-cleaning on Fashion-MNIST. */
@Command(
    name = "hyperclean",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Data hyper-cleaning on Fashion-MNIST (Franceschi et al. 2017): learns one weight"
          + " sigmoid(lambda_i) per training example, half of whose labels are wrong, so that"
          + " softmax regression trained by T steps of gradient descent on the weighted loss does"
          + " well on a clean validation set.",
      "Reports the test accuracy of that model, of the model trained unweighted on the noisy"
          + " set and of the oracle trained on the clean examples only, and the precision,"
          + " recall and F1 of 'weight < 0.5' as a detector of the corrupted examples."
    })
public final class HypercleanCommand implements Subcommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Folder with the four Fashion-MNIST *-ubyte.gz files (default: ${DEFAULT-VALUE}, where"
              + " Debian's dataset-fashion-mnist installs them).")
  Path dataDirectory = FashionMnist.DEBIAN_DIRECTORY;

  @Option(
      names = "--train",
      paramLabel = "N",
      description = "Training examples: the first N training images (default: ${DEFAULT-VALUE}).")
  int train = 5000;

  @Option(
      names = "--validation",
      paramLabel = "N",
      description =
          "Clean validation examples: the next N training images (default: ${DEFAULT-VALUE}).")
  int validation = 5000;

  @Option(
      names = "--corruption",
      paramLabel = "P",
      description =
          "Fraction of training labels replaced by a uniformly drawn wrong class (default:"
              + " ${DEFAULT-VALUE}).")
  double corruption = 0.5;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of which labels are corrupted and how; everything else is deterministic (default:"
              + " ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(
      names = "--steps",
      paramLabel = "T",
      description = "Lower-level gradient-descent steps (default: ${DEFAULT-VALUE}).")
  int steps = 100;

  @Option(
      names = "--inner-lr",
      paramLabel = "LR",
      description = "Step size of the lower-level gradient descent (default: ${DEFAULT-VALUE}).")
  double innerLearningRate = 0.1;

  @Option(
      names = "--method",
      paramLabel = "NAME",
      description =
          "Hypergradient plugin: rhg, trhg or hoag, or another one that handles many"
              + " hyperparameters (default: ${DEFAULT-VALUE}).")
  String method = "rhg";

  @Option(
      names = {"-O", "--method-option"},
      paramLabel = "KEY=VALUE",
      description = "An option of the hypergradient plugin, e.g. -O truncation=25 (repeatable).")
  Map<String, String> methodOptions = new LinkedHashMap<>();

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description = "Outer iterations (default: ${DEFAULT-VALUE}).")
  int iterations = 100;

  @Option(
      names = "--outer-lr",
      paramLabel = "LR",
      description = "Adam's step size on the weight logits (default: ${DEFAULT-VALUE}).")
  double outerLearningRate = 0.1;

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description =
          "Print the validation loss to standard error every N outer iterations; 0 never"
              + " (default: ${DEFAULT-VALUE}).")
  int logEvery = 10;

  @Option(names = "--json", description = "Print the result as JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Hypercleaning.Settings settings =
        new Hypercleaning.Settings(
            steps, innerLearningRate, method, methodOptions, iterations, outerLearningRate);
    PluginRegistry plugins = Subcommand.plugins(spec);
    Hypercleaning.requireCompatible(settings, plugins);
    HypercleanData data =
        HypercleanData.of(
            FashionMnist.load(dataDirectory, FashionMnist.Part.TRAIN),
            testPart(),
            train,
            validation,
            corruption,
            seed);
    PrintStream err = System.err;
    HypercleanResult result =
        Hypercleaning.run(
            data,
            settings,
            plugins,
            report -> {
              if (LogInterval.isDue(logEvery, report.iteration(), report.iterations())) {
                err.printf(
                    Locale.ROOT,
                    "iteration %d/%d: validation loss %.4f, |hypergradient| %.3g, %.1f s%n",
                    report.iteration(),
                    report.iterations(),
                    report.upperObjective(),
                    report.hypergradientNorm(),
                    report.seconds());
              }
            });
    System.out.println(json ? toJson(data, result) : toText(data, result));
    return 0;
  }

  private LabeledImages testPart() throws IOException {
    return FashionMnist.load(dataDirectory, FashionMnist.Part.TEST);
  }

  private String toText(HypercleanData data, HypercleanResult r) {
    Detection detection = r.detection();
    int corrupted = 0;
    for (boolean flag : data.corrupted()) {
      corrupted += flag ? 1 : 0;
    }
    return String.format(
        Locale.ROOT,
        "hyper-cleaning on Fashion-MNIST: %d training examples (%d corrupted, seed %d), %d"
            + " validation, %d test%n"
            + "T = %d gd steps of lr %s, %s, Adam lr %s: %d outer iterations in %.1f s%n"
            + "test accuracy: hyper-cleaned %.4f, unweighted baseline %.4f, initial weights 1/2"
            + " %.4f, oracle (clean examples only) %.4f%n"
            + "detector 'weight < 0.5': flagged %d, precision %.4f, recall %.4f, F1 %.4f (a"
            + " detector ignoring the data: at most %.4f)%n"
            + "mean weight: clean %.4f, corrupted %.4f; validation loss %.4f%n"
            + "resident memory: %.0f MiB before the outer iterations, peak %.0f MiB",
        data.trainCount(),
        corrupted,
        seed,
        validation,
        data.testLabels().length,
        steps,
        innerLearningRate,
        method + (methodOptions.isEmpty() ? "" : " " + methodOptions),
        outerLearningRate,
        r.iterations(),
        r.seconds(),
        r.testAccuracy(),
        r.baselineAccuracy(),
        r.initialAccuracy(),
        r.oracleAccuracy(),
        detection.flagged(),
        detection.precision(),
        detection.recall(),
        detection.f1(),
        r.chanceF1(),
        r.meanWeightClean(),
        r.meanWeightCorrupted(),
        r.validationLoss(),
        r.residentBeforeMiB(),
        r.peakResidentMiB());
  }

  private String toJson(HypercleanData data, HypercleanResult r) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("dataDirectory", dataDirectory.toString());
    settings.put("train", data.trainCount());
    settings.put("validation", validation);
    settings.put("corruption", corruption);
    settings.put("seed", seed);
    settings.put("steps", steps);
    settings.put("innerLearningRate", innerLearningRate);
    settings.put("method", method);
    settings.put("methodOptions", methodOptions);
    settings.put("iterations", iterations);
    settings.put("outerLearningRate", outerLearningRate);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("settings", settings);
    document.put("result", r);
    return JsonOutput.pretty(document);
  }
}
