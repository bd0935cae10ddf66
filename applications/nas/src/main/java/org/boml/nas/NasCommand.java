package org.boml.nas;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.runtime.cli.spi.MethodOptions;
import org.boml.runtime.cli.spi.Subcommand;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.JsonLines;
import org.boml.runtime.run.MetricsLog;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code boml nas}: DARTS architecture search on Fashion-MNIST, against random cells. */
@Command(
    name = "nas",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Architecture search with DARTS (Liu et al. 2019) on a subsample of Fashion-MNIST: the"
          + " nas-cells model's architecture weights alpha and network weights are updated"
          + " alternately (the weights carried over between steps), alpha by the second-order"
          + " (darts) or first-order (fmaml) hypergradient through one virtual SGD step. Then"
          + " derives the discrete cell (top-2 inputs per node, no zero op), trains it from"
          + " scratch, and trains --random-cells random cells of the same size the same way;"
          + " reports the test accuracy of each, and the random cells' mean and spread.",
      "Writes config.json, metrics.jsonl (one line per epoch of every phase), genotype.txt,"
          + " cell.png, curves.png and result.json to the run directory."
    })
public final class NasCommand implements Subcommand {
  /** The derived cell, as text. */
  public static final String GENOTYPE_FILE = "genotype.txt";

  /** The derived cell, as a picture. */
  public static final String CELL_PICTURE = "cell.png";

  /** The search's accuracy curves. */
  public static final String CURVES = "curves.png";

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN_DIR",
      description = "The run directory; it must not hold a run already, unless --overwrite.")
  Path out;

  @Option(names = "--overwrite", description = "Replace the run the directory holds.")
  boolean overwrite;

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
      description =
          "Search training images: the first N training images (default: ${DEFAULT-VALUE}).")
  int train = 1000;

  @Option(
      names = "--validation",
      paramLabel = "N",
      description =
          "Search validation images: the next N training images; retraining uses both sets"
              + " (default: ${DEFAULT-VALUE}).")
  int validation = 1000;

  @Option(
      names = "--test",
      paramLabel = "N",
      description = "Test images: the first N of the test part (default: ${DEFAULT-VALUE}).")
  int test = 2000;

  @Option(
      names = "--image-size",
      paramLabel = "PX",
      description = "28, or 14 for 2x2-averaged images (default: ${DEFAULT-VALUE}).")
  int imageSize = ImageData.HALF;

  @Option(
      names = "--cells",
      paramLabel = "N",
      description = "Normal cells of the network (default: ${DEFAULT-VALUE}).")
  int cells = 1;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description = "Intermediate nodes per cell (default: ${DEFAULT-VALUE}).")
  int nodes = 3;

  @Option(
      names = "--channels",
      paramLabel = "C",
      description = "Channels of every node (default: ${DEFAULT-VALUE}).")
  int channels = 8;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Mini-batch size of search and retraining (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Search epochs over the training images (default: ${DEFAULT-VALUE}).")
  int epochs = 5;

  @Option(
      names = "--weight-lr",
      paramLabel = "XI",
      description =
          "Step size of the weights' SGD, in the search (also the virtual step xi) and in"
              + " retraining (default: ${DEFAULT-VALUE}).")
  double weightLearningRate = 0.05;

  @Option(
      names = "--momentum",
      paramLabel = "M",
      description = "Momentum of the weights' SGD (default: ${DEFAULT-VALUE}).")
  double momentum = 0.9;

  @Option(
      names = "--alpha-lr",
      paramLabel = "LR",
      description = "Adam's step size on alpha (default: ${DEFAULT-VALUE}).")
  double alphaLearningRate = 3e-3;

  @Option(
      names = "--method",
      paramLabel = "NAME",
      description =
          "Hypergradient plugin: darts (second order) or fmaml (first order) (default:"
              + " ${DEFAULT-VALUE}).")
  String method = "darts";

  @Mixin MethodOptions methodOptions = new MethodOptions();

  @Option(
      names = "--retrain-epochs",
      paramLabel = "N",
      description = "Epochs of each retraining from scratch (default: ${DEFAULT-VALUE}).")
  int retrainEpochs = 10;

  @Option(
      names = "--random-cells",
      paramLabel = "N",
      description = "Random cells trained as baselines (default: ${DEFAULT-VALUE}).")
  int randomCells = 3;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of the initializations, the batches and the random cells (default:"
              + " ${DEFAULT-VALUE}).")
  long seed = 0;

  @Override
  public Integer call() throws IOException {
    ArchitectureSearch.Settings settings = settings();
    PluginRegistry plugins = Subcommand.plugins(spec);
    ArchitectureSearch.requireCompatible(settings, plugins);
    PrintStream err = System.err;
    try (RunLock lock = RunLock.acquireForWriting(out, err::println, err::println)) {
      RunDirectory run = new RunDirectory(out);
      run.refuseToReplace(overwrite, false);
      if (overwrite) {
        run.deleteRun();
        run.deleteFiles(List.of(GENOTYPE_FILE, CELL_PICTURE, CURVES));
      }
      run.saveJson(RunDirectory.CONFIG, config());
      NasResult result;
      List<ArchitectureSearch.Report> search = new ArrayList<>();
      try (NDManager manager =
              NDManager.newBaseManager(
                  ComputeEngines.get().defaultDevice(), ComputeEngines.get().name());
          JsonLines metrics = JsonLines.append(out.resolve(MetricsLog.FILE))) {
        ImageData data = ImageData.load(dataDirectory, train, validation, test, imageSize, manager);
        result =
            ArchitectureSearch.run(
                data,
                settings,
                plugins,
                report -> {
                  metrics.write(report);
                  if (report.phase().equals("search")) {
                    search.add(report);
                  }
                  err.println(progress(report));
                },
                (genotype, alpha) -> {
                  try {
                    run.writeFile(
                        GENOTYPE_FILE, (genotype + "\n").getBytes(StandardCharsets.UTF_8));
                    run.writeFile(CELL_PICTURE, Pictures.cell(genotype));
                    run.writeFile(CURVES, Pictures.curves(search));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  err.println("derived cell: " + genotype);
                });
      }
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("settings", config());
      document.put("result", result);
      document.put("randomMean", result.randomMean());
      document.put("randomSpread", result.randomSpread());
      run.saveJson(RunDirectory.RESULT, document);
      System.out.println(toText(result));
      return 0;
    }
  }

  private ArchitectureSearch.Settings settings() {
    return new ArchitectureSearch.Settings(
        cells,
        nodes,
        channels,
        imageSize,
        train,
        validation,
        test,
        batch,
        epochs,
        weightLearningRate,
        momentum,
        alphaLearningRate,
        method,
        methodOptions.options(),
        retrainEpochs,
        randomCells,
        seed);
  }

  private static String progress(ArchitectureSearch.Report report) {
    String tail =
        report.phase().equals("search")
            ? String.format(
                Locale.ROOT,
                "validation loss %.4f, validation accuracy %.4f",
                report.validationLoss(),
                report.validationAccuracy())
            : Double.isNaN(report.validationAccuracy())
                ? ""
                : String.format(Locale.ROOT, "test accuracy %.4f", report.validationAccuracy());
    return String.format(
        Locale.ROOT,
        "%s epoch %d/%d: train loss %.4f, train accuracy %.4f%s%s, %.1f s",
        report.phase(),
        report.epoch(),
        report.epochs(),
        report.trainLoss(),
        report.trainAccuracy(),
        tail.isEmpty() ? "" : ", ",
        tail,
        report.seconds());
  }

  private Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "nas");
    config.put("dataDir", dataDirectory.toString());
    config.put("train", train);
    config.put("validation", validation);
    config.put("test", test);
    config.put("imageSize", imageSize);
    config.put("cells", cells);
    config.put("nodes", nodes);
    config.put("channels", channels);
    config.put("batch", batch);
    config.put("epochs", epochs);
    config.put("weightLearningRate", weightLearningRate);
    config.put("momentum", momentum);
    config.put("alphaLearningRate", alphaLearningRate);
    config.put("method", method);
    config.put("methodOptions", methodOptions.options());
    config.put("retrainEpochs", retrainEpochs);
    config.put("randomCells", randomCells);
    config.put("seed", seed);
    return config;
  }

  private String toText(NasResult result) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "DARTS (%s) on Fashion-MNIST %dx%d: search %.1f s%n",
            method,
            imageSize,
            imageSize,
            result.searchSeconds()));
    text.append("derived cell: ").append(result.genotype()).append(System.lineSeparator());
    List<ArchitectureSearch.Retrained> all = new ArrayList<>();
    all.add(result.derived());
    all.addAll(result.random());
    for (ArchitectureSearch.Retrained r : all) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-9s test accuracy %.4f (%d weights, %.1f s)%n",
              r.name(),
              r.testAccuracy(),
              r.parameters(),
              r.seconds()));
    }
    text.append(
        String.format(
            Locale.ROOT,
            "random cells: mean %.4f, spread (sample std) %.4f over %d; derived - mean %+.4f%n",
            result.randomMean(),
            result.randomSpread(),
            result.random().size(),
            result.derived().testAccuracy() - result.randomMean()));
    text.append("run directory: ").append(out);
    return text.toString();
  }
}
