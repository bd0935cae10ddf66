package org.boml.plugins.bda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boml.api.BilevelProblem;
import org.boml.api.Capabilities;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.DynamicsChecks;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BDA's learnable hyperparameters in float64: {@code learn-alpha=true} adds the scalar {@code
 * bda.alpha} (mu_t = alpha / (t + 1)), {@code learn-alpha=per-step} one weight per step (mu_t =
 * alpha[t], starting at alpha / (t + 1)) and {@code learn-s=true} {@code bda.log-s_u}; at their
 * initial values the trajectory is that of the constants; rhg's hypergradient with respect to each
 * matches central finite differences of the unrolled upper-level objective, in the meta-training
 * layout (sinusoid MLP, both families) and with HyperparameterOptimizer; a per-step vector made for
 * another horizon is refused.
 */
class BdaLearnedHyperparametersTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final PluginRegistry PLUGINS = TestKit.plugins();
  private static final int STEPS = 3;
  private static final IterationModuleProvider BDA = new BdaProvider();

  record Setting(Family family, Map<String, String> options) {
    @Override
    public String toString() {
      return family + ", bda " + options;
    }
  }

  static List<Setting> settings() {
    List<Setting> settings = new ArrayList<>();
    for (Family family : Family.values()) {
      settings.add(new Setting(family, options("learn-alpha", "true")));
      settings.add(new Setting(family, options("learn-alpha", "per-step")));
      settings.add(new Setting(family, options("learn-s", "true")));
      settings.add(
          new Setting(
              family,
              Map.of(
                  "alpha",
                  "0.6",
                  "s_u",
                  "0.4",
                  "lr",
                  "0.05",
                  "learn-alpha",
                  "per-step",
                  "learn-s",
                  "true")));
    }
    return settings;
  }

  private static Map<String, String> options(String key, String value) {
    return Map.of("alpha", "0.6", "s_u", "0.4", "lr", "0.05", key, value);
  }

  private static ModelExtension extension(Map<String, String> options, int steps) {
    return BDA.modelExtension(Options.forProvider(options, BDA), steps).orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void startsAsTheConstantsAndEachGetsTheHypergradientOfFiniteDifferences(Setting setting) {
    IterationModule learned = BDA.create(setting.options());
    IterationModule constant = BDA.create(Map.of("alpha", "0.6", "s_u", "0.4", "lr", "0.05"));
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(
              manager, setting.family(), 7, Optional.of(extension(setting.options(), STEPS)));
      BilevelProblem problem = instance.problem();
      Variables x = instance.x();
      List<String> added = x.names().stream().filter(n -> n.startsWith("bda.")).toList();
      assertFalse(added.isEmpty());
      if (x.contains("bda.alpha")) {
        double[] expected =
            setting.options().get("learn-alpha").equals("per-step")
                ? new double[] {0.6, 0.3, 0.2}
                : new double[] {0.6};
        assertArrayEquals(expected, x.get("bda.alpha").toDoubleArray(), 1e-15);
      }
      if (x.contains("bda.log-s_u")) {
        assertEquals(Math.log(0.4), x.get("bda.log-s_u").getDouble(), 1e-15);
      }
      DynamicsChecks.assertSameTrajectory(constant, learned, problem, x, STEPS, D, 1e-12);
      Variables gradient =
          DescentAggregationTest.rhg()
              .compute(problem, learned, x.map(D::leaf), STEPS, D)
              .gradient();
      for (String name : added) {
        double[] g = gradient.get(name).toDoubleArray();
        for (int i = 0; i < g.length; i++) {
          assertTrue(Math.abs(g[i]) > 1e-8, setting + ": " + name + "[" + i + "] gets " + g[i]);
        }
        Variables rest = x.select(n -> !n.equals(name));
        List<HypergradientCheck.Direction> check =
            HypergradientCheck.compare(
                point ->
                    HypergradientCheck.unrolledObjective(
                        problem, learned, point.merge(rest), STEPS, D),
                x.select(name::equals),
                gradient.select(name::equals),
                g.length == 1 ? 1 : 4,
                1e-6,
                19);
        System.out.printf("rhg, %s: dF/d%s %s%n", setting, name, check);
        assertTrue(HypergradientCheck.worst(check) < 1e-6, setting + ", " + name + ": " + check);
      }
    }
  }

  /** The same options with HyperparameterOptimizer on a problem of one's own. */
  @Test
  void hyperparameterOptimizationAddsAndLearnsThem() {
    Map<String, String> options =
        Map.of(
            "alpha",
            "0.6",
            "s_u",
            "0.4",
            "lr",
            "0.1",
            "learn-alpha",
            "per-step",
            "learn-s",
            "true");
    IterationModule dynamics = BDA.create(options);
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 31);
      List<IterationReport> reports = new ArrayList<>();
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(problem)
              .hyperparameters(problem.initialMeta(32))
              .dynamics(BDA, options)
              .hypergradient(PLUGINS.hypergradient("rhg"), Map.of())
              .innerSteps(STEPS)
              .optimizer(OuterOptimizer.sgd(), 0.01)
              .build()) {
        Variables x0 = search.hyperparameters().map(v -> v.duplicate());
        assertEquals(List.of("x", "bda.alpha", "bda.log-s_u"), x0.names());
        search.run(1, reports::add);
        Variables gradient = reports.get(0).hypergradient().toVariables(manager, DataType.FLOAT64);
        List<HypergradientCheck.Direction> check =
            HypergradientCheck.compare(
                z -> HypergradientCheck.unrolledObjective(problem, dynamics, z, STEPS, D),
                x0,
                gradient,
                6,
                1e-6,
                33);
        assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
        assertTrue(Math.abs(gradient.get("bda.log-s_u").getDouble()) > 1e-8);
      }
    }
  }

  @Test
  void aPerStepVectorServesItsHorizonOnlyAndTheOneArgumentFormRefusesIt() {
    Map<String, String> options = options("learn-alpha", "per-step");
    IllegalArgumentException noSteps =
        assertThrows(
            IllegalArgumentException.class,
            () -> BDA.modelExtension(Options.forProvider(options, BDA)));
    assertTrue(noSteps.getMessage().contains("number of steps"), noSteps.getMessage());
    IterationModule dynamics = BDA.create(options);
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(
              manager, Family.META_INITIALIZATION, 7, Optional.of(extension(options, 2)));
      IllegalArgumentException tooLong =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  HypergradientCheck.unrolledObjective(
                      instance.problem(), dynamics, instance.x(), 3, D));
      assertTrue(
          tooLong.getMessage().contains("weight of step 2") && tooLong.getMessage().contains("(2)"),
          tooLong.getMessage());
    }
  }

  @Test
  void learnedWeightsAreMetaParametersTheStepsRead() {
    for (Map<String, String> options :
        List.of(
            options("learn-alpha", "true"),
            options("learn-alpha", "per-step"),
            options("learn-s", "true"))) {
      assertFalse(
          BDA.capabilities(Options.forProvider(options, BDA))
              .contains(Capabilities.STEPS_WITHOUT_META_PARAMETERS),
          options.toString());
    }
    assertTrue(
        BDA.capabilities(Options.forProvider(Map.of(), BDA))
            .contains(Capabilities.STEPS_WITHOUT_META_PARAMETERS));
    assertTrue(BDA.modelExtension(Options.forProvider(Map.of(), BDA), 3).isEmpty());
  }
}
