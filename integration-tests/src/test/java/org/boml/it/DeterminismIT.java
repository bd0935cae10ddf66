package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.train.MetaLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One seed fixes a whole run: second-order MAML (rhg) on sinusoid in float64 gives bit-for-bit the
 * same meta-parameters whatever the number of worker threads and however often it is repeated; and
 * {@code boml train} run twice with one seed, in two JVMs, saves byte-identical float32
 * meta-parameters for every built-in model with each of {@code rhg}, {@code fmaml} and {@code fhg}
 * (on real Omniglot for the conv nets).
 */
class DeterminismIT {
  private static final int ITERATIONS = 5;
  private static final int CLI_ITERATIONS = 2;

  @Test
  void workersDoNotChangeTheResult() throws DatasetException {
    Map<String, double[]> one = train(11, 1, ITERATIONS);
    Map<String, double[]> three = train(11, 3, ITERATIONS);
    assertTrue(sameBits(one, three), () -> "1 worker vs 3 workers: " + describe(one, three));
  }

  @Test
  void theSameSeedGivesTheSameResult() throws DatasetException {
    Map<String, double[]> first = train(12, 2, ITERATIONS);
    Map<String, double[]> second = train(12, 2, ITERATIONS);
    assertTrue(sameBits(first, second), () -> "two runs with seed 12: " + describe(first, second));
  }

  @Test
  void anotherSeedGivesAnotherResult() throws DatasetException {
    Map<String, double[]> a = train(13, 2, ITERATIONS);
    Map<String, double[]> b = train(14, 2, ITERATIONS);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertFalse(
          Arrays.equals(a.get(name), b.get(name)), () -> name + " is the same for seeds 13 and 14");
    }
  }

  /** Guards the tests above against comparing parameters that training never touched. */
  @Test
  void trainingMovesEveryMetaParameter() throws DatasetException {
    Map<String, double[]> initial = train(15, 2, 0);
    Map<String, double[]> trained = train(15, 2, ITERATIONS);
    assertEquals(initial.keySet(), trained.keySet());
    for (String name : initial.keySet()) {
      assertFalse(
          Arrays.equals(initial.get(name), trained.get(name)),
          () -> name + " did not change in training");
    }
  }

  /**
   * The models and methods of {@link #theSameSeedGivesTheSameBitsInAnotherJvm}: each built-in model
   * with {@code rhg} and {@code fmaml}, and a narrower one with {@code fhg}, whose forward mode
   * carries one tangent per scalar meta-parameter (the narrow nets here have 46 to 141).
   */
  static Stream<Arguments> cliCells() {
    List<Arguments> cells = new ArrayList<>();
    for (String method : List.of("rhg", "fmaml")) {
      cells.add(Arguments.of("mlp", "hidden=40,40", method));
      cells.add(Arguments.of("convnet", "filters=24", method));
      cells.add(Arguments.of("resnet", "widths=16,24", method));
    }
    cells.add(Arguments.of("mlp", "hidden=10,10", "fhg"));
    cells.add(Arguments.of("convnet", "filters=1", "fhg"));
    cells.add(Arguments.of("resnet", "widths=1", "fhg"));
    return cells.stream();
  }

  /**
   * Two {@code boml train} processes with the same seed (float32, {@value #CLI_ITERATIONS}
   * iterations, meta-batch 2, 2 inner steps, 2 workers) write byte-identical {@code
   * meta-parameters.safetensors}; nothing of one JVM (the convolution kernels chosen at start, the
   * thread pool, the allocator) may leak into the result.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cliCells")
  void theSameSeedGivesTheSameBitsInAnotherJvm(
      String model, String modelOption, String method, @TempDir Path dir) throws IOException {
    byte[] first = trainInAJvm(dir.resolve("first"), model, modelOption, method);
    byte[] second = trainInAJvm(dir.resolve("second"), model, modelOption, method);
    assertTrue(first.length > 0, "empty meta-parameters");
    assertArrayEquals(
        first,
        second,
        () ->
            model
                + " "
                + modelOption
                + " "
                + method
                + ": the two processes saved different meta-parameters");
  }

  /** Runs {@code boml train} in a JVM of its own; returns the saved meta-parameters' bytes. */
  private static byte[] trainInAJvm(Path run, String model, String modelOption, String method)
      throws IOException {
    List<String> arguments = new ArrayList<>();
    if (model.equals("mlp")) {
      arguments.addAll(List.of("train", "--dataset", "sinusoid", "--inner-lr", "0.01"));
    } else {
      arguments.addAll(
          List.of(
              "train",
              "--dataset",
              "omniglot",
              "--data-dir",
              OmniglotTrainingIT.omniglot().toString(),
              "--dataset-option",
              "split=peer",
              "--queries",
              "2",
              "--inner-lr",
              "0.4"));
    }
    arguments.addAll(
        List.of(
            "--model",
            model,
            "--model-option",
            modelOption,
            "--method",
            method,
            "--plugins",
            AppLayout.pluginDir().toString(),
            "--inner-steps",
            "2",
            "--meta-batch",
            "2",
            "--iterations",
            Integer.toString(CLI_ITERATIONS),
            "--validate-every",
            "0",
            "--eval-episodes",
            "2",
            "--seed",
            "21",
            "--workers",
            "2",
            "--json",
            "--out",
            run.toString()));
    if (method.equals("fhg")) {
      arguments.addAll(List.of("--method-option", "max-hyperparameters=200"));
    }
    CliResult result = BomlCli.run(arguments.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(CLI_ITERATIONS, result.json().get("iterations").getAsInt(), result::toString);
    return Files.readAllBytes(run.resolve(RunDirectory.PARAMETERS));
  }

  /** Trains and returns a copy of the meta-parameters. */
  private static Map<String, double[]> train(long seed, int workers, int iterations)
      throws DatasetException {
    try (Dataset data = SinusoidTraining.openSinusoid();
        MetaLearner learner =
            SinusoidTraining.learner(data, "rhg", Map.of(), 0.01)
                .dataType(DataType.FLOAT64)
                .metaBatch(6)
                .workers(workers)
                .seed(seed)
                .build()) {
      learner.train(iterations, report -> {});
      Map<String, double[]> values = new LinkedHashMap<>();
      learner
          .metaParameters()
          .asMap()
          .forEach((name, array) -> values.put(name, array.toDoubleArray()));
      assertFalse(values.isEmpty(), "no meta-parameters");
      return values;
    }
  }

  private static boolean sameBits(Map<String, double[]> a, Map<String, double[]> b) {
    return a.keySet().equals(b.keySet())
        && a.keySet().stream().allMatch(name -> Arrays.equals(a.get(name), b.get(name)));
  }

  /** Where two sets of parameters first differ. */
  private static String describe(Map<String, double[]> a, Map<String, double[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return "names " + a.keySet() + " vs " + b.keySet();
    }
    for (String name : a.keySet()) {
      int index = Arrays.mismatch(a.get(name), b.get(name));
      if (index >= 0) {
        return name
            + "["
            + index
            + "]: "
            + valueAt(a.get(name), index)
            + " vs "
            + valueAt(b.get(name), index);
      }
    }
    return "identical";
  }

  private static String valueAt(double[] values, int index) {
    return index < values.length ? Double.toString(values[index]) : "(none)";
  }
}
