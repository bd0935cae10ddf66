package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.boml.api.BilevelProblem;
import org.boml.api.Dataset;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.MetaSplit;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.runtime.plugin.PluginException;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/**
 * The meta-training loop on a mocked dataset of linear regression tasks y = a x with a ~ U[1, 3]:
 * the meta-learned initialization should move towards a = 2, and failures must stop training with
 * the place named and the meta-parameters of the last good iteration kept.
 */
class MetaLearnerTest {
  private static Task linearTask(NDManager manager, long seed, boolean poisoned) {
    Random random = new Random(seed);
    double slope = 1 + 2 * random.nextDouble();
    return new Task(
        points(manager, random, slope, poisoned), points(manager, random, slope, false));
  }

  private static Split points(NDManager manager, Random random, double slope, boolean poisoned) {
    float[] x = new float[5];
    float[] y = new float[5];
    for (int i = 0; i < 5; i++) {
      x[i] = (float) (2 * random.nextDouble() - 1);
      y[i] = poisoned ? Float.NaN : (float) (slope * x[i]);
    }
    return new Split(manager.create(x, new Shape(5, 1)), manager.create(y, new Shape(5, 1)));
  }

  /** A mocked regression dataset of tasks made from (manager, seed). */
  private static Dataset regressionDataset(BiFunction<NDManager, Long, Task> tasks) {
    Dataset dataset = mock(Dataset.class);
    when(dataset.inputShape()).thenReturn(new Shape(1));
    when(dataset.outputs()).thenReturn(1);
    when(dataset.taskKind()).thenReturn(TaskKind.REGRESSION);
    when(dataset.sample(any(MetaSplit.class), anyLong(), any(NDManager.class)))
        .thenAnswer(call -> tasks.apply(call.getArgument(2), call.getArgument(1)));
    return dataset;
  }

  static Dataset linearDataset(AtomicInteger calls, int poisonAfter) {
    return regressionDataset(
        (manager, seed) -> linearTask(manager, seed, calls.incrementAndGet() > poisonAfter));
  }

  static HypergradientModule rhgLike() {
    return (problem, dynamics, x, steps, d) -> {
      Variables y = dynamics.initialize(x, problem, d);
      for (int t = 0; t < steps; t++) {
        y = dynamics.step(t, x, y, problem, d, true);
      }
      return Hypergradient.of(
          d.gradient(problem.upperObjective(x, y), x, false), problem.upperObjective(x, y));
    };
  }

  static MetaLearnerBuilder linearLearner(Dataset dataset, HypergradientModule module) {
    return MetaLearner.builder()
        .dataset(dataset)
        .model(new Mlp(1, List.of(), 1))
        .dynamics("gd", new GradientDescent(0.3))
        .hypergradient("test", module)
        .innerSteps(1)
        .metaBatch(4)
        .optimizer(OuterOptimizer.adam(), 0.05)
        .dataType(DataType.FLOAT64)
        .seed(1);
  }

  @Test
  void metaTrainingImprovesAdaptationAndReportsProgress() {
    try (MetaLearner learner =
        linearLearner(linearDataset(new AtomicInteger(), Integer.MAX_VALUE), rhgLike()).build()) {
      Evaluation before = learner.evaluate(MetaSplit.TEST, 50, 7);
      AtomicInteger reports = new AtomicInteger();
      learner.train(
          150,
          report -> {
            assertEquals(reports.incrementAndGet(), report.iteration());
            assertEquals(150, report.iterations());
            assertTrue(Double.isFinite(report.upperObjective()) && report.hypergradientNorm() >= 0);
          });
      assertEquals(150, learner.completedIterations());
      Evaluation after = learner.evaluate(MetaSplit.TEST, 50, 7);
      assertEquals("mse", after.metric());
      assertTrue(
          after.afterAdaptation().mean() < 0.5 * before.afterAdaptation().mean(),
          "before " + before + ", after " + after);
      double slope = learner.metaParameters().get("head.weight").toDoubleArray()[0];
      assertEquals(2.0, slope, 0.5, "the initialization moves towards the mean slope");
    }
  }

  /**
   * {@code learn-lr=true}: the provider's extension adds {@code gd.log-lr} to x, initialized to
   * log(lr), and meta-training moves it with the model's initialization (its hypergradient is
   * checked against finite differences in RhgLearnedHyperparametersTest).
   */
  @Test
  void aLearnedInnerStepSizeIsAMetaParameterThatTrainingMoves() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    try (MetaLearner learner =
        linearLearner(linearDataset(new AtomicInteger(), Integer.MAX_VALUE), rhgLike())
            .dynamics(registry.iteration("gd"), Map.of("lr", "0.05", "learn-lr", "true"))
            .build()) {
      assertEquals(
          List.of("head.weight", "head.bias", "gd.log-lr"), learner.metaParameters().names());
      assertEquals(Math.log(0.05), learner.metaParameters().get("gd.log-lr").getDouble(), 1e-15);
      Evaluation before = learner.evaluate(MetaSplit.TEST, 50, 7);
      learner.train(100, report -> {});
      double learned = Math.exp(learner.metaParameters().get("gd.log-lr").getDouble());
      Evaluation after = learner.evaluate(MetaSplit.TEST, 50, 7);
      System.out.printf(
          "meta-training with learn-lr=true: inner lr 0.05 -> %.4f, test mse after adaptation %.4f"
              + " -> %.4f%n",
          learned, before.afterAdaptation().mean(), after.afterAdaptation().mean());
      assertTrue(learned > 0.1, "a larger inner step helps one-step adaptation: " + learned);
      assertTrue(
          after.afterAdaptation().mean() < 0.5 * before.afterAdaptation().mean(),
          "before " + before + ", after " + after);
    }
  }

  @Test
  void nonFiniteObjectiveStopsAndKeepsTheLastGoodParameters() {
    AtomicInteger calls = new AtomicInteger();
    try (MetaLearner learner = linearLearner(linearDataset(calls, 4), rhgLike()).build()) {
      learner.train(1, report -> {});
      double[] good = learner.metaParameters().get("head.weight").toDoubleArray();
      TrainingDivergedException error =
          assertThrows(TrainingDivergedException.class, () -> learner.train(1, report -> {}));
      assertTrue(error.getMessage().contains("iteration 2"), error.getMessage());
      assertTrue(error.getMessage().contains("task 0 (objective NaN"), error.getMessage());
      assertTrue(
          error.getMessage().contains("hypergradient module 'test'")
              && error.getMessage().contains("with dynamics 'gd'"),
          error.getMessage());
      assertFalse(
          error.getMessage().contains("--"), "the core names no flag: " + error.getMessage());
      assertEquals(TrainingDivergedException.Reason.BAD_TASKS, error.reason());
      assertArrayEquals(good, learner.metaParameters().get("head.weight").toDoubleArray(), 0);
      assertEquals(1, learner.completedIterations());
    }
  }

  @Test
  void aFailingModuleIsNamedWithIterationAndTask() {
    HypergradientModule broken =
        new HypergradientModule() {
          @Override
          public Hypergradient compute(
              BilevelProblem p, IterationModule m, Variables x, int steps, Differentiator d) {
            throw new IllegalStateException("boom");
          }
        };
    try (MetaLearner learner =
        linearLearner(linearDataset(new AtomicInteger(), Integer.MAX_VALUE), broken).build()) {
      PluginException error = assertThrows(PluginException.class, () -> learner.train(1, r -> {}));
      assertTrue(error.getMessage().contains("iteration 1, task 0"), error.getMessage());
      assertTrue(
          error.getMessage().contains("hypergradient module 'test'")
              && error.getMessage().contains("boom"),
          error.getMessage());
      String classes =
          PluginIdentity.locationOf(MetaLearnerTest.class); // the module's class comes from here
      assertTrue(error.getMessage().contains("from " + classes), error.getMessage());
      assertTrue(
          error.getMessage().contains("java.lang.IllegalStateException at ")
              && error.getMessage().contains(getClass().getName() + "$1.compute("),
          "the frame that threw: " + error.getMessage());
      assertEquals(0, learner.completedIterations());
    }
  }

  @Test
  void aFailingDynamicsModuleIsNamedWithTheFrameThatThrew() {
    IterationModule failing = mock(IterationModule.class);
    when(failing.initialize(any(), any(), any())).thenThrow(new ArithmeticException("singular"));
    try (MetaLearner learner =
        linearLearner(linearDataset(new AtomicInteger(), Integer.MAX_VALUE), rhgLike())
            .dynamics("wobbly", failing)
            .build()) {
      PluginException error = assertThrows(PluginException.class, () -> learner.train(1, r -> {}));
      assertTrue(
          error.getMessage().contains("iteration 1, task 0")
              && error.getMessage().contains("with dynamics 'wobbly'")
              && error.getMessage().contains("singular")
              && error.getMessage().contains("java.lang.ArithmeticException"),
          error.getMessage());
      PluginException inEvaluation =
          assertThrows(PluginException.class, () -> learner.evaluate(MetaSplit.TEST, 2, 0));
      assertTrue(
          inEvaluation
              .getMessage()
              .contains("evaluation task 0: adaptation with dynamics 'wobbly'"),
          inEvaluation.getMessage());
    }
  }

  @Test
  void aFailingDatasetIsNamedWithTheTask() {
    Dataset dataset = linearDataset(new AtomicInteger(), Integer.MAX_VALUE);
    when(dataset.sample(any(MetaSplit.class), anyLong(), any(NDManager.class)))
        .thenThrow(new IllegalStateException("disk gone"));
    try (MetaLearner learner = linearLearner(dataset, rhgLike()).metaBatch(1).build()) {
      PluginException error = assertThrows(PluginException.class, () -> learner.train(1, r -> {}));
      assertTrue(
          error.getMessage().startsWith("iteration 1, task 0: sampling the task from dataset")
              && error.getMessage().contains("disk gone"),
          error.getMessage());
    }
  }

  /**
   * Every task is the same one, except poisoned tasks, whose targets are NaN: skipping a poisoned
   * task must then give exactly the step of an unpoisoned meta-batch (the mean of equal gradients).
   */
  private static Dataset sameTaskDataset(Set<Long> poisonedSeeds) {
    return regressionDataset(
        (manager, seed) -> linearTask(manager, 5, poisonedSeeds.contains(seed)));
  }

  private static long taskSeed(int iteration, int index) {
    return Seeds.task(1, iteration, index); // linearLearner's seed
  }

  @Test
  void badTasksAreSkippedWithAWarningUpToTheCap() {
    double[] clean;
    try (MetaLearner learner = linearLearner(sameTaskDataset(Set.of()), rhgLike()).build()) {
      learner.train(4, r -> {});
      clean = learner.metaParameters().get("head.weight").toDoubleArray();
    }
    List<String> warnings = new ArrayList<>();
    Set<Long> poisoned = Set.of(taskSeed(1, 2), taskSeed(3, 0), taskSeed(4, 1));
    try (MetaLearner learner =
        linearLearner(sameTaskDataset(poisoned), rhgLike())
            .skipBadTasks(2)
            .warnings(warnings::add)
            .build()) {
      learner.train(4, r -> assertTrue(Double.isFinite(r.upperObjective())));
      assertEquals(2, learner.skippedTasks());
      assertEquals(2, warnings.size(), warnings.toString());
      assertTrue(
          warnings.get(0).startsWith("iteration 2:")
              && warnings.get(0).contains("task 2 (objective NaN")
              && warnings.get(0).contains("hypergradient module 'test'")
              && warnings.get(0).contains("1 of at most 2 skipped"),
          warnings.get(0));
      assertTrue(warnings.get(1).startsWith("iteration 4:"), warnings.get(1));
      assertArrayEquals(
          clean,
          learner.metaParameters().get("head.weight").toDoubleArray(),
          1e-12,
          "a skipped task leaves the mean of the others");
      double[] kept = learner.metaParameters().get("head.weight").toDoubleArray();
      TrainingDivergedException capped =
          assertThrows(TrainingDivergedException.class, () -> learner.train(1, r -> {}));
      assertTrue(
          capped.getMessage().startsWith("iteration 5:")
              && capped.getMessage().contains("task 1 (objective NaN")
              && capped.getMessage().contains("2 task(s) were skipped before and 2 may be"),
          capped.getMessage());
      assertEquals(TrainingDivergedException.Reason.SKIP_CAP_REACHED, capped.reason());
      assertArrayEquals(kept, learner.metaParameters().get("head.weight").toDoubleArray(), 0);
      assertEquals(4, learner.completedIterations());
    }
  }

  @Test
  void aMetaBatchOfOnlyBadTasksStopsEvenWhenSkipping() {
    Set<Long> poisoned = new HashSet<>();
    for (int index = 0; index < 4; index++) {
      poisoned.add(taskSeed(0, index));
    }
    try (MetaLearner learner =
        linearLearner(sameTaskDataset(poisoned), rhgLike()).skipBadTasks(100).build()) {
      TrainingDivergedException error =
          assertThrows(TrainingDivergedException.class, () -> learner.train(1, r -> {}));
      assertTrue(
          error.getMessage().contains("every task of the meta-batch is bad"), error.getMessage());
      assertEquals(0, learner.skippedTasks());
    }
  }

  @Test
  void builderRejectsMissingPartsAndBadSettings() {
    assertThrows(IllegalStateException.class, () -> MetaLearner.builder().build());
    assertThrows(IllegalArgumentException.class, () -> MetaLearner.builder().metaBatch(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> MetaLearner.builder().optimizer(OuterOptimizer.sgd(), -1));
    assertThrows(
        IllegalArgumentException.class, () -> MetaLearner.builder().learningRateDecay(1.5, 10));
    assertThrows(
        IllegalArgumentException.class, () -> MetaLearner.builder().dataType(DataType.INT32));
    assertThrows(IllegalArgumentException.class, () -> MetaLearner.builder().clipNorm(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> MetaLearner.builder().skipBadTasks(-1));
  }
}
