package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.PluginKind;
import org.boml.runtime.plugin.PluginInfo;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.OuterOptimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every discovered hypergradient module (and every rhg strategy), with every outer optimizer, in
 * both families, meta-learns sinusoid regression: after 60 meta-iterations the mean squared error
 * on 100 held-out tasks, after adaptation, is at least 10% lower than before meta-training.
 */
class PluginMatrixIT {
  private static final int ITERATIONS = 60;
  private static final int EVALUATION_TASKS = 100;
  private static final long EVALUATION_SEED = 2024;

  /** Every combination ends between 0.52 and 0.78 of its starting error (seed 5, 2 cores). */
  private static final double REQUIRED_RATIO = 0.9;

  private static final List<Outer> OPTIMIZERS =
      List.of(
          new Outer("sgd", OuterOptimizer::sgd, 0.05),
          new Outer("momentum(0.9)", () -> OuterOptimizer.momentum(0.9), 0.01),
          new Outer("adam", OuterOptimizer::adam, 0.01));

  /** An outer optimizer and the learning rate it is tested with. */
  private record Outer(String name, Supplier<OuterOptimizer> factory, double learningRate) {
    @Override
    public String toString() {
      return name + " lr " + learningRate;
    }
  }

  @Test
  void discoversTheBundledHypergradientModules() {
    assertEquals(List.of(), SinusoidTraining.plugins().problems());
    Set<String> names = hypergradientModules().collect(Collectors.toCollection(TreeSet::new));
    assertTrue(names.containsAll(Set.of("rhg", "fmaml")), names::toString);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    hypergradientModules()
        .forEach(
            method -> {
              for (Map<String, String> options : variants(method)) {
                for (Outer outer : OPTIMIZERS) {
                  for (Family family : Family.values()) {
                    cases.add(Arguments.of(method, options, outer, family));
                  }
                }
              }
            });
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}, {2}, {3}")
  @MethodSource("matrix")
  void metaTrainingLowersTheErrorAfterAdaptation(
      String method, Map<String, String> options, Outer outer, Family family)
      throws DatasetException {
    double innerLearningRate = family == Family.META_INITIALIZATION ? 0.01 : 0.1;
    try (Dataset data = SinusoidTraining.openSinusoid();
        MetaLearner learner =
            SinusoidTraining.learner(data, method, options, innerLearningRate)
                .family(family)
                .optimizer(outer.factory().get(), outer.learningRate())
                .metaBatch(10)
                .workers(Runtime.getRuntime().availableProcessors())
                .seed(5)
                .build()) {
      double before = errorAfterAdaptation(learner);
      learner.train(ITERATIONS, report -> {});
      double after = errorAfterAdaptation(learner);
      assertTrue(
          after < REQUIRED_RATIO * before,
          () ->
              String.format(
                  Locale.ROOT,
                  "%s %s, %s, %s: mean MSE after adaptation on %d held-out tasks: %.4f before"
                      + " meta-training, %.4f after; expected below %.2f x %.4f",
                  method,
                  options,
                  outer,
                  family,
                  EVALUATION_TASKS,
                  before,
                  after,
                  REQUIRED_RATIO,
                  before));
    }
  }

  private static double errorAfterAdaptation(MetaLearner learner) {
    return learner
        .evaluate(MetaSplit.TEST, EVALUATION_TASKS, EVALUATION_SEED)
        .afterAdaptation()
        .mean();
  }

  private static Stream<String> hypergradientModules() {
    return SinusoidTraining.plugins().plugins().stream()
        .filter(p -> p.kind() == PluginKind.HYPERGRADIENT)
        .map(PluginInfo::name);
  }

  /** The option sets worth testing for a method: each rhg strategy, else the defaults. */
  private static List<Map<String, String>> variants(String method) {
    return method.equals("rhg")
        ? List.of(Map.of("strategy", "graph"), Map.of("strategy", "replay"))
        : List.of(Map.of());
  }
}
