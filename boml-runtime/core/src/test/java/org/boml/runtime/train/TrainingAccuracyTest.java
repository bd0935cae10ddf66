package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boml.api.Dataset;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.MetaSplit;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.runtime.problem.Family;
import org.boml.runtime.problem.SupervisedProblem;
import org.junit.jupiter.api.Test;

/**
 * The accuracy the training loop reports: a linear 3-class classifier with fixed weights on random
 * points, so that the expected accuracy and cross-entropy are computed here in plain Java from the
 * same tasks the learner drew.
 */
class TrainingAccuracyTest {
  private static final double[][] WEIGHTS = {{1, 0}, {0, 1}, {-1, -1}};
  private static final int POINTS = 7;

  /** scores = input (N, 2) x w^T, w (3, 2); the initial w is {@link #WEIGHTS} whatever the seed. */
  private static final class LinearClassifier implements Model {
    @Override
    public List<ParameterSpec> parameterSpecs() {
      return List.of(new ParameterSpec("w", new Shape(3, 2), ParameterSpec.HEAD));
    }

    @Override
    public Variables initialize(NDManager manager, DataType dataType, long seed) {
      double[] flat = {1, 0, 0, 1, -1, -1};
      return Variables.of(
          Map.of("w", manager.create(flat, new Shape(3, 2)).toType(dataType, false)));
    }

    @Override
    public NDArray forward(Variables params, NDArray input, boolean training) {
      return input.matMul(params.get("w").transpose());
    }
  }

  /** A task's points and labels, drawn from its seed. */
  private record Drawn(MetaSplit split, double[][] inputs, int[] labels) {
    static Drawn of(MetaSplit split, long seed) {
      Random random = new Random(seed);
      double[][] inputs = new double[POINTS][2];
      int[] labels = new int[POINTS];
      for (int i = 0; i < POINTS; i++) {
        inputs[i][0] = 2 * random.nextDouble() - 1;
        inputs[i][1] = 2 * random.nextDouble() - 1;
        labels[i] = i < 3 ? i : random.nextInt(3); // every class present
      }
      return new Drawn(split, inputs, labels);
    }

    Split toSplit(NDManager manager) {
      double[] flat = new double[2 * POINTS];
      long[] targets = new long[POINTS];
      for (int i = 0; i < POINTS; i++) {
        flat[2 * i] = inputs[i][0];
        flat[2 * i + 1] = inputs[i][1];
        targets[i] = labels[i];
      }
      return new Split(manager.create(flat, new Shape(POINTS, 2)), manager.create(targets));
    }

    double[] scores(int i, double[][] w) {
      double[] scores = new double[3];
      for (int c = 0; c < 3; c++) {
        scores[c] = inputs[i][0] * w[c][0] + inputs[i][1] * w[c][1];
      }
      return scores;
    }

    double accuracy(double[][] w) {
      int right = 0;
      for (int i = 0; i < POINTS; i++) {
        double[] s = scores(i, w);
        int best = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
        right += best == labels[i] ? 1 : 0;
      }
      return (double) right / POINTS;
    }

    double crossEntropy(double[][] w) {
      double sum = 0;
      for (int i = 0; i < POINTS; i++) {
        double[] s = scores(i, w);
        double normalizer = Math.log(Math.exp(s[0]) + Math.exp(s[1]) + Math.exp(s[2]));
        sum += normalizer - s[labels[i]];
      }
      return sum / POINTS;
    }
  }

  /** A classification dataset whose query split is drawn from the seed, remembering each draw. */
  private static Dataset dataset(List<Drawn> queries) {
    Dataset dataset = mock(Dataset.class);
    when(dataset.inputShape()).thenReturn(new Shape(2));
    when(dataset.outputs()).thenReturn(3);
    when(dataset.taskKind()).thenReturn(TaskKind.CLASSIFICATION);
    when(dataset.sample(any(MetaSplit.class), anyLong(), any(NDManager.class)))
        .thenAnswer(
            call -> {
              MetaSplit split = call.getArgument(0);
              long seed = call.getArgument(1);
              NDManager manager = call.getArgument(2);
              Drawn query = Drawn.of(split, seed);
              queries.add(query);
              return new Task(Drawn.of(split, ~seed).toSplit(manager), query.toSplit(manager));
            });
    return dataset;
  }

  /** Reverse mode through the steps; F is evaluated twice, at y_0 and at y_T, like some plugins. */
  private static HypergradientModule reverseMode() {
    return (problem, dynamics, x, steps, d) -> {
      Variables y = dynamics.initialize(x, problem, d);
      problem.upperObjective(x, y);
      for (int t = 0; t < steps; t++) {
        y = dynamics.step(t, x, y, problem, d, true);
      }
      NDArray upper = problem.upperObjective(x, y);
      return Hypergradient.of(d.gradient(upper, x, false), upper);
    };
  }

  private static MetaLearner learner(List<Drawn> queries, int innerSteps) {
    return MetaLearner.builder()
        .dataset(dataset(queries))
        .model(new LinearClassifier())
        .dynamics("gd", new GradientDescent(0.5))
        .hypergradient("reverse", reverseMode())
        .innerSteps(innerSteps)
        .metaBatch(5)
        .optimizer(OuterOptimizer.sgd(), 0.1)
        .dataType(DataType.FLOAT64)
        .workers(2)
        .seed(3)
        .build();
  }

  private static double[][] weights(MetaLearner learner) {
    double[] flat = learner.metaParameters().get("w").toDoubleArray();
    return new double[][] {{flat[0], flat[1]}, {flat[2], flat[3]}, {flat[4], flat[5]}};
  }

  @Test
  void theReportedAccuracyIsTheMeanOverTheMetaBatchOfTheQueryAccuracy() {
    List<Drawn> queries = Collections.synchronizedList(new ArrayList<>());
    try (MetaLearner learner = learner(queries, 0)) {
      for (int iteration = 0; iteration < 3; iteration++) {
        double[][] w = weights(learner);
        queries.clear();
        IterationReport report = learner.step(3);
        assertEquals(5, queries.size());
        double accuracy = queries.stream().mapToDouble(q -> q.accuracy(w)).average().orElseThrow();
        double loss = queries.stream().mapToDouble(q -> q.crossEntropy(w)).average().orElseThrow();
        assertEquals(loss, report.upperObjective(), 1e-12);
        assertEquals(accuracy, report.accuracy(), 1e-12);
        assertNull(report.validation());
      }
    }
  }

  @Test
  void validationMeasuresTheSameValidationTasksEveryTime() {
    List<Drawn> queries = Collections.synchronizedList(new ArrayList<>());
    try (MetaLearner learner = learner(queries, 0)) {
      learner.step(2);
      queries.clear();
      double[][] w = weights(learner);
      Validation first = learner.validate(4);
      assertEquals(4, queries.size());
      assertTrue(queries.stream().allMatch(q -> q.split() == MetaSplit.VALIDATION));
      assertEquals(4, first.episodes());
      assertEquals(
          queries.stream().mapToDouble(q -> q.accuracy(w)).average().orElseThrow(),
          first.accuracy(),
          1e-12);
      assertEquals(
          queries.stream().mapToDouble(q -> q.crossEntropy(w)).average().orElseThrow(),
          first.loss(),
          1e-12);
      assertEquals(first, learner.validate(4), "the same tasks, the same parameters");
      assertEquals(1, learner.completedIterations(), "validation does not train");
    }
  }

  @Test
  void periodicValidationMeasuresAtMultiplesOfItsInterval() {
    List<IterationReport> reports = new ArrayList<>();
    try (MetaLearner learner = learner(Collections.synchronizedList(new ArrayList<>()), 1)) {
      learner.train(5, new PeriodicValidation(learner, 2, 3, reports::add));
    }
    assertEquals(5, reports.size());
    for (IterationReport report : reports) {
      boolean due = report.iteration() % 2 == 0;
      assertEquals(due, report.validation() != null, "iteration " + report.iteration());
      assertTrue(report.accuracy() >= 0 && report.accuracy() <= 1);
      if (due) {
        assertEquals(3, report.validation().episodes());
        assertTrue(report.validation().accuracy() >= 0 && report.validation().accuracy() <= 1);
        assertTrue(report.validation().loss() > 0);
      }
    }
  }

  @Test
  void theRecordedAccuracyIsTheOneOfTheReportedObjective() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Drawn query = Drawn.of(MetaSplit.TRAIN, 11);
      Task task = new Task(query.toSplit(manager), query.toSplit(manager));
      SupervisedProblem problem =
          new SupervisedProblem(
              new LinearClassifier(),
              task,
              TaskKind.CLASSIFICATION,
              Family.META_INITIALIZATION,
              manager);
      Variables x = new LinearClassifier().initialize(manager, DataType.FLOAT64, 0);
      double[][] flipped = {{-1, 0}, {0, -1}, {1, 1}};
      Variables y = x.map(w -> w.neg());
      assertTrue(Double.isNaN(problem.metricAtUpperObjective(1)), "nothing evaluated yet");
      double atX = problem.upperObjective(x, x).getDouble();
      double atY = problem.upperObjective(x, y).getDouble();
      assertEquals(query.accuracy(WEIGHTS), problem.metricAtUpperObjective(atX), 1e-15);
      assertEquals(query.accuracy(flipped), problem.metricAtUpperObjective(atY), 1e-15);
      assertTrue(query.accuracy(WEIGHTS) != query.accuracy(flipped), "a test that can fail");
      assertEquals(
          query.accuracy(flipped),
          problem.metricAtUpperObjective(-1),
          "an unmatched value falls back to the latest evaluation");
    }
  }

  @Test
  void regressionHasNoAccuracy() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Split points =
          new Split(
              manager.create(new double[] {1, 2}, new Shape(2, 1)),
              manager.create(new double[] {1, 2}, new Shape(2, 1)));
      Model scalar = new LinearClassifier();
      SupervisedProblem problem =
          new SupervisedProblem(
              scalar,
              new Task(points, points),
              TaskKind.REGRESSION,
              Family.META_INITIALIZATION,
              manager);
      Variables w = Variables.of(Map.of("w", manager.create(new double[] {1}, new Shape(1, 1))));
      double loss = problem.upperObjective(w, w).getDouble();
      assertEquals(0, loss, 1e-15);
      assertTrue(Double.isNaN(problem.metricAtUpperObjective(loss)));
    }
  }
}
