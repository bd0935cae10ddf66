package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.MetaLearner;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A few meta-iterations on the real Omniglot data (../shared/data/omniglot) for each network and
 * family: the meta-training loss must fall.
 */
class OmniglotTrainingIT {
  private static final int ITERATIONS = 40;
  private static final int WINDOW = 10;

  static Path omniglot() {
    String override = System.getenv("BOML_OMNIGLOT_DIR");
    Path dir =
        override != null
            ? Path.of(override)
            : Path.of(System.getProperty("basedir", "."))
                .resolve("../../shared/data/omniglot")
                .normalize();
    if (!Files.isDirectory(dir)) {
      Assertions.fail(
          "real Omniglot data not found at "
              + dir
              + ": the tests read ../shared/data/omniglot beside the checkout, or"
              + " BOML_OMNIGLOT_DIR; put the official Omniglot folders or zips there"
              + " (./boml train --dataset omniglot --download --data-dir DIR fetches them)");
    }
    return dir;
  }

  /**
   * Opens the real Omniglot data with the peer's split, 5-way 1-shot.
   *
   * @param queries query images per class
   * @return the dataset; the caller closes it
   * @throws DatasetException if the data cannot be read
   */
  static Dataset openFiveWayOneShot(int queries) throws DatasetException {
    return SinusoidTraining.plugins()
        .dataset("omniglot")
        .open(
            Map.of(
                "data-dir", omniglot().toString(),
                "split", "peer",
                "ways", "5",
                "shots", "1",
                "queries", Integer.toString(queries)));
  }

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of("convnet", Map.of("filters", "32"), "meta-init", 0.4),
        Arguments.of("convnet", Map.of("filters", "32", "downsample", "stride2"), "meta-init", 0.4),
        Arguments.of("convnet", Map.of("filters", "32"), "meta-feature", 0.5),
        Arguments.of("resnet", Map.of("widths", "16,24"), "meta-init", 0.4),
        Arguments.of("resnet", Map.of("widths", "16,24"), "meta-feature", 0.5));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("networks")
  void metaTrainingLossFalls(
      String model, Map<String, String> modelOptions, String family, double innerLr)
      throws Exception {
    RunSpec spec = new RunSpec();
    spec.dataset = "omniglot";
    spec.datasetOptions = Map.of("data-dir", omniglot().toString(), "split", "peer");
    spec.model = model;
    spec.modelOptions = modelOptions;
    spec.hypergradient = "rhg";
    spec.dynamicsOptions = Map.of("lr", Double.toString(innerLr));
    spec.family = family;
    spec.innerSteps = 1;
    spec.metaBatch = 4;
    spec.metaLearningRate = 0.005;
    spec.seed = 3;
    List<Double> losses = new ArrayList<>();
    try (Assembly assembly = Assembly.forTraining(spec, SinusoidTraining.plugins());
        MetaLearner learner = assembly.learner().build()) {
      learner.train(ITERATIONS, (IterationReport report) -> losses.add(report.upperObjective()));
    }
    double first = mean(losses.subList(0, WINDOW));
    double last = mean(losses.subList(ITERATIONS - WINDOW, ITERATIONS));
    assertTrue(
        last < 0.85 * first,
        model
            + " "
            + modelOptions
            + " "
            + family
            + ": loss "
            + first
            + " -> "
            + last
            + " "
            + losses);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
