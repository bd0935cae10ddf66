package org.boml.plugins.metasgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.CheckTasks;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Meta-SGD in float64: its step, its exact meta-gradient, and short training runs. */
class MetaSgdTest {
  private static final Differentiator D = TestKit.differentiator();
  private final MetaSgdProvider provider = new MetaSgdProvider();

  private Options options(String scalar) {
    return Options.forProvider(Map.of("scalar", scalar, "lr", "0.02"), provider);
  }

  private ModelExtension extension(String scalar) {
    return provider.modelExtension(options(scalar)).orElseThrow();
  }

  @Test
  void addsOneStepSizePerAdaptedEntryOrOneScalar() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance perEntry =
          CheckProblems.sinusoidMlp(
              manager, Family.META_FEATURE, 1, Optional.of(extension("false")));
      // meta-feature: only the head is adapted, so only the head gets step sizes
      assertEquals(
          List.of("metasgd.lr/head.weight", "metasgd.lr/head.bias"),
          perEntry.x().names().stream().filter(n -> n.startsWith("metasgd")).toList());
      assertEquals(new Shape(1, 16), perEntry.x().get("metasgd.lr/head.weight").getShape());
      assertEquals(0.02, perEntry.x().get("metasgd.lr/head.weight").getDouble(0, 3), 1e-15);
      CheckProblems.Instance scalar =
          CheckProblems.sinusoidMlp(
              manager, Family.META_INITIALIZATION, 1, Optional.of(extension("true")));
      assertEquals(0, scalar.x().get("metasgd.lr").getShape().dimension());
    }
  }

  /**
   * {@code init=uniform}: every step size is drawn from U[0.005, 0.1] (the paper's), independently
   * per entry; the values are fixed by the seed the runtime passes (derived from the run's seed)
   * and change with it; the scalar form draws one.
   */
  @Test
  void uniformInitialStepSizesAreDrawnFromThePapersRangeAndFixedByTheSeed() {
    TestKit.startEngine();
    ModelExtension uniform =
        provider
            .modelExtension(Options.forProvider(Map.of("init", "uniform"), provider))
            .orElseThrow();
    try (NDManager manager = NDManager.newBaseManager()) {
      double[] first = weights(manager, uniform, 3);
      double[] again = weights(manager, uniform, 3);
      double[] other = weights(manager, uniform, 4);
      assertEquals(16 + 16 + 16 * 16 + 16 + 16 + 1, first.length);
      assertArrayEquals(first, again, 0.0);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      int differ = 0;
      for (int i = 0; i < first.length; i++) {
        min = Math.min(min, first[i]);
        max = Math.max(max, first[i]);
        sum += first[i];
        differ += first[i] != other[i] ? 1 : 0;
      }
      assertTrue(min >= StepSizes.UNIFORM_LOW && max < StepSizes.UNIFORM_HIGH, min + " " + max);
      // 321 draws: the extremes come within 2% of the bounds, the mean within 0.01 of 0.0525
      assertTrue(min < 0.007 && max > 0.098, min + " " + max);
      assertEquals(0.0525, sum / first.length, 0.01);
      assertEquals(first.length, differ, "another seed draws other values");
      ModelExtension scalar =
          provider
              .modelExtension(
                  Options.forProvider(Map.of("init", "uniform", "scalar", "true"), provider))
              .orElseThrow();
      double[] one = weights(manager, scalar, 3);
      assertEquals(1, one.length);
      assertTrue(one[0] >= 0.005 && one[0] < 0.1, Double.toString(one[0]));
    }
  }

  /** Every step size the extension gives the sinusoid MLP (meta-init), in order. */
  private static double[] weights(NDManager manager, ModelExtension extension, long seed) {
    Variables x =
        CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, seed, Optional.of(extension))
            .x();
    return x.names().stream()
        .filter(n -> n.startsWith("metasgd"))
        .flatMapToDouble(n -> Arrays.stream(x.get(n).toDoubleArray()))
        .toArray();
  }

  @Test
  void aScalarStepSizeIsGradientDescent() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.tinyConvNet(
              manager, Family.META_INITIALIZATION, 2, Optional.of(extension("true")));
      Variables x = instance.x();
      Variables y0 = instance.problem().initialBase(x);
      Variables metaSgd =
          provider.create(options("true")).step(0, x, y0, instance.problem(), D, false);
      Variables gd = new GradientDescent(0.02).step(0, x, y0, instance.problem(), D, false);
      for (String name : gd.names()) {
        assertEquals(0, maxAbs(metaSgd.get(name).sub(gd.get(name))), 1e-12, name);
      }
    }
  }

  @Test
  void perEntryStepsScaleEachGradientEntry() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(
              manager, Family.META_INITIALIZATION, 3, Optional.of(extension("false")));
      Variables x = CheckProblems.jitter(instance.x(), n -> n.startsWith(StepSizes.GROUP), 0.01, 3);
      Variables y0 = instance.problem().initialBase(x).map(D::leaf);
      Variables gradient = D.gradient(instance.problem().lowerObjective(0, x, y0), y0, false);
      Variables y1 = provider.create(options("false")).step(0, x, y0, instance.problem(), D, false);
      for (String name : y0.names()) {
        NDArray expected = y0.get(name).sub(gradient.get(name).mul(x.get("metasgd.lr/" + name)));
        assertEquals(0, maxAbs(y1.get(name).sub(expected)), 1e-12, name);
      }
    }
  }

  @ParameterizedTest(name = "{0}, scalar={1}")
  @CsvSource({"mlp, false", "mlp, true", "convnet, false", "convnet, true"})
  void metaGradientOfInitializationAndStepSizesMatchesFiniteDifferences(
      String network, String scalar) {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      Optional<ModelExtension> extension = Optional.of(extension(scalar));
      CheckProblems.Instance instance =
          network.equals("mlp")
              ? CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 4, extension)
              : CheckProblems.tinyConvNet(manager, Family.META_INITIALIZATION, 4, extension);
      Variables x = CheckProblems.jitter(instance.x(), n -> n.startsWith(StepSizes.GROUP), 0.01, 4);
      IterationModule dynamics = provider.create(options(scalar));
      int steps = 2;
      Variables gradient =
          HypergradientCheck.unrolledHypergradient(instance.problem(), dynamics, x, steps, D);
      assertTrue(maxAbs(gradient.get(scalar.equals("true") ? "metasgd.lr" : firstRate(x))) > 0);
      double worst =
          HypergradientCheck.worstAgainstUnrolled(
              instance.problem(), dynamics, x, x.select(n -> false), gradient, steps, D, 5);
      assertTrue(worst < 1e-6, "relative error " + worst);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "convnet", "resnet"})
  void trainsEveryModel(String network) {
    try (MetaLearner learner =
        CheckTasks.learner(network)
            .dynamics(provider, Map.of("lr", "0.05"))
            .hypergradient("unrolled", HypergradientCheck.unrolled())
            .build()) {
      assertTrue(CheckTasks.trainedChange(learner, firstRate(learner.metaParameters()), 3) > 0);
    }
  }

  @Test
  void refusesAnXWithoutStepSizes() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance plain =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 1);
      Variables y0 = plain.problem().initialBase(plain.x());
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  provider
                      .create(options("false"))
                      .step(0, plain.x(), y0, plain.problem(), D, false));
      assertTrue(error.getMessage().contains("metasgd.lr/layer0.weight"), error.getMessage());
    }
  }

  private static String firstRate(Variables x) {
    return x.names().stream().filter(n -> n.startsWith(StepSizes.GROUP)).findFirst().orElseThrow();
  }

  private static double maxAbs(NDArray array) {
    return array.abs().max().toType(DataType.FLOAT64, false).getDouble();
  }
}
