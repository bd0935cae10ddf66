package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.runtime.autodiff.ConvolutionKernels;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;
import org.boml.runtime.train.PlainVariables;
import org.boml.runtime.train.TaskSum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Float32 training is right on the host it runs on: for every built-in model with each of the
 * hypergradients {@code rhg} (second order), {@code fmaml} and {@code fhg}, the hypergradient of
 * the first meta-iteration in float32 agrees with the one in float64 (same seed, so the same tasks,
 * and the float64 learner starts from the float32 learner's initial meta-parameters, which float64
 * holds exactly). {@link MetaLearner#solveTasks} returns the summed hypergradient of an iteration's
 * meta-batch and the summed upper objective without taking a step.
 *
 * <p>Cells: {@code mlp} on sinusoid (inner lr 0.01); {@code convnet} with 1, 3, 24 and 64 filters
 * and {@code resnet} with widths 8,8 / 16,24 / 24,40 on the real Omniglot data (peer split, 5-way
 * 1-shot, 2 queries, inner lr 0.4); all with meta-batch 2 and 2 inner steps of {@code gd}. {@code
 * fhg} carries one tangent per scalar meta-parameter, so it runs on narrow nets ({@code mlp} 10,10,
 * {@code convnet} 1 filter, {@code resnet} width 1: 141, 58 and 46 meta-parameters).
 *
 * <p>Per parameter tensor the test bounds {@code ||h32 - h64|| / max(||h64||, 0.01 ||H64||)}, with
 * {@code H64} the whole hypergradient: a tensor that holds under 1% of it is measured against 1% of
 * it, because some are zero but for rounding (the conv net's convolution biases, which the batch
 * normalization after them cancels exactly; a 1x1 skip convolution of one input channel, which the
 * batch normalization after it cancels up to its epsilon), whose relative error in float32 would
 * only measure rounding noise. The upper objective's relative error is bounded by {@value
 * #OBJECTIVE_TOLERANCE}.
 *
 * <p>Measured with libtorch's native convolutions (the default of {@link ConvolutionKernels}) on
 * the AMD EPYC (Zen 5, virtualized) host of issue 16, and the same to two digits on an AMD EPYC Zen
 * 4 (family 25, model 17); worst tensor / objective:
 *
 * <pre>
 *   mlp 40,40       rhg 1.9e-7 / 7.0e-8   fmaml 4.4e-7 / 7.0e-8   (10,10 fhg 3.0e-7 / 3.0e-8)
 *   resnet 8,8      rhg 2.8e-6 / 4.3e-8   fmaml 3.5e-6 / 4.3e-8   (width 1 fhg 1.3e-5 / 2.9e-9)
 *   resnet 16,24    rhg 2.0e-5 / 7.9e-8   fmaml 6.2e-5 / 7.9e-8
 *   resnet 24,40    rhg 1.3e-5 / 9.1e-9   fmaml 2.0e-5 / 9.1e-9
 *   convnet 1       rhg 3.9e-5 / 9.8e-8   fmaml 2.5e-5 / 9.8e-8   fhg 3.0e-5 / 9.8e-8
 *   convnet 3       rhg 1.9e-5 / 6.9e-8   fmaml 2.6e-5 / 6.9e-8
 *   convnet 24      rhg 4.7e-6 / 1.5e-7   fmaml 2.3e-6 / 1.5e-7
 *   convnet 64      rhg 4.3e-6 / 2.9e-7   fmaml 7.9e-6 / 2.9e-7
 * </pre>
 *
 * Hence the bounds: {@value #TOLERANCE} per tensor (16 times the worst, {@code resnet} 16,24 with
 * {@code fmaml}) and {@value #OBJECTIVE_TOLERANCE} for the objective (34 times the worst, {@code
 * convnet} 64). One bound serves every model: with its activations in the contiguous layout the
 * conv net is as exact as the others (it was up to 6.5e-3 per tensor with channels-last
 * activations, from libtorch's float32 batch norm in that layout; docs/reliability.md).
 *
 * <p>The test fails with the wrong kernels: with {@code -Dboml.convolution=onednn}, which keeps
 * oneDNN, 14 of the 19 cells failed on the Zen 5 host (every {@code convnet} and {@code resnet}
 * cell but {@code convnet} 64), with tensor errors from 1.4 to NaN and objective errors up to 0.06
 * or NaN. On the Zen 4 host oneDNN passes the self-check's small convolutions, yet 3 cells failed
 * ({@code convnet} 1 with rhg and fmaml, 1.3e-3 on {@code conv0.bias}; {@code resnet} 16,24 with
 * fmaml, 1.3e-3 on {@code block1.conv1.weight}); with seeds 1, 2 and 3 instead of 5 its worst
 * errors were 7.3e-4, 6.7e-4 and 5.7e-3, against 1.7e-5, 1.6e-3 and 1.1e-4 with the native kernels,
 * where the 1.6e-3 (seed 2, {@code resnet} 8,8) is the problem's own sensitivity: float64 moves as
 * much when the meta-parameters move by one float32 rounding (a relative 2^-24), while at seed 5 it
 * moves under 1e-5 in every cell. With channels-last activations, earlier, the failures varied from
 * run to run and two runs died of a SIGSEGV in oneDNN's brgemm convolution.
 *
 * <p>The table of every cell, with the error of each tensor, is written to {@code
 * target/host-independence.txt}.
 */
class HostIndependenceIT {
  private static final long SEED = 5;
  private static final int META_BATCH = 2;
  private static final int INNER_STEPS = 2;
  private static final double TOLERANCE = 1e-3;
  private static final double OBJECTIVE_TOLERANCE = 1e-5;
  private static final double FLOOR = 1e-2;

  private static final Map<String, String> RESULTS = new LinkedHashMap<>();
  private static Dataset omniglot;
  private static Dataset sinusoid;

  /**
   * One cell: a model with its options and a hypergradient with its options.
   *
   * @param model the model plugin's name
   * @param modelOptions its options
   * @param method the hypergradient plugin's name
   * @param methodOptions its options
   */
  record Cell(
      String model,
      Map<String, String> modelOptions,
      String method,
      Map<String, String> methodOptions) {
    @Override
    public String toString() {
      return model + " " + options(modelOptions) + " " + method;
    }

    private static String options(Map<String, String> options) {
      return options.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .sorted()
          .collect(Collectors.joining(" "));
    }
  }

  static Stream<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (String method : List.of("rhg", "fmaml")) {
      cells.add(new Cell("mlp", Map.of("hidden", "40,40"), method, Map.of()));
      for (String filters : List.of("1", "3", "24", "64")) {
        cells.add(new Cell("convnet", Map.of("filters", filters), method, Map.of()));
      }
      for (String widths : List.of("8,8", "16,24", "24,40")) {
        cells.add(new Cell("resnet", Map.of("widths", widths), method, Map.of()));
      }
    }
    Map<String, String> fhg = Map.of("max-hyperparameters", "1000");
    cells.add(new Cell("mlp", Map.of("hidden", "10,10"), "fhg", fhg));
    cells.add(new Cell("convnet", Map.of("filters", "1"), "fhg", fhg));
    cells.add(new Cell("resnet", Map.of("widths", "1"), "fhg", fhg));
    return cells.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void float32HypergradientMatchesFloat64(Cell cell) throws DatasetException {
    long start = System.nanoTime();
    TaskSum single;
    TaskSum reference;
    try (MetaLearner learner = learner(cell, DataType.FLOAT32).build()) {
      single = learner.solveTasks(0, 0, META_BATCH);
      try (MetaLearner exact =
          learner(cell, DataType.FLOAT64).initialMetaParameters(learner.metaParameters()).build()) {
        reference = exact.solveTasks(0, 0, META_BATCH);
      }
    }
    PlainVariables h32 = single.gradient();
    PlainVariables h64 = reference.gradient();
    assertEquals(h64.names(), h32.names(), cell::toString);
    double total = 0;
    for (String name : h64.names()) {
      total += square(h64.values(name));
    }
    total = Math.sqrt(total);
    StringBuilder report = new StringBuilder();
    double worst = 0;
    String worstName = "";
    for (String name : h64.names()) {
      double[] a = h32.values(name);
      double[] b = h64.values(name);
      double[] diff = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        diff[i] = a[i] - b[i];
      }
      double norm = Math.sqrt(square(b));
      double error = Math.sqrt(square(diff)) / Math.max(norm, FLOOR * total);
      report.append(
          String.format(Locale.ROOT, "  %-22s |h64| %.3e  rel %.3e%n", name, norm, error));
      if (!(error <= worst)) {
        worst = error;
        worstName = name;
      }
    }
    double objectiveError =
        Math.abs(single.upperObjective() - reference.upperObjective())
            / Math.abs(reference.upperObjective());
    String line =
        String.format(
            Locale.ROOT,
            "%-34s worst %.3e (%s), objective %.3e, |h64| %.3e, %.1f s",
            cell,
            worst,
            worstName,
            objectiveError,
            total,
            (System.nanoTime() - start) / 1e9);
    RESULTS.put(cell.toString(), line + "\n" + report);
    System.out.println(line);
    assertTrue(worst < TOLERANCE, () -> line + ", bound " + TOLERANCE + "\n" + report);
    assertTrue(
        objectiveError < OBJECTIVE_TOLERANCE,
        () -> line + ", objective bound " + OBJECTIVE_TOLERANCE + "\n" + report);
  }

  private static double square(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v * v;
    }
    return sum;
  }

  private static MetaLearnerBuilder learner(Cell cell, DataType type) throws DatasetException {
    PluginRegistry plugins = SinusoidTraining.plugins();
    boolean regression = cell.model().equals("mlp");
    Dataset data = regression ? sinusoid() : omniglot();
    return MetaLearner.builder()
        .dataset(data)
        .model(plugins.model(cell.model()).create(data, cell.modelOptions()))
        .dynamics(plugins.iteration("gd"), Map.of("lr", regression ? "0.01" : "0.4"))
        .hypergradient(plugins.hypergradient(cell.method()), cell.methodOptions())
        .plugins(plugins)
        .innerSteps(INNER_STEPS)
        .metaBatch(META_BATCH)
        .dataType(type)
        .workers(Runtime.getRuntime().availableProcessors())
        .seed(SEED);
  }

  private static synchronized Dataset omniglot() throws DatasetException {
    if (omniglot == null) {
      omniglot = OmniglotTrainingIT.openFiveWayOneShot(2);
    }
    return omniglot;
  }

  private static synchronized Dataset sinusoid() throws DatasetException {
    if (sinusoid == null) {
      sinusoid = SinusoidTraining.openSinusoid();
    }
    return sinusoid;
  }

  @AfterAll
  static void printAndClose() throws IOException {
    if (omniglot != null) {
      omniglot.close();
    }
    if (sinusoid != null) {
      sinusoid.close();
    }
    String table =
        "float32 vs float64, first meta-iteration's hypergradient; convolutions: "
            + ConvolutionKernels.current()
            + "\n"
            + String.join("\n", RESULTS.values());
    System.out.println(table);
    Path target = Path.of(System.getProperty("basedir", "."), "target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("host-independence.txt"), table);
    }
  }
}
