package org.boml.plugins.rhg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in dynamics' learnable hyperparameters, as the meta-training loop has them: {@code
 * learn-lr=true} (gd, momentum, adam) and {@code learn-momentum=true} add {@code <dynamics>.log-lr}
 * and {@code momentum.logit-momentum} to x through the provider's model extension, initialized to
 * log(lr) and logit(mu); on the sinusoid MLP of both families, in float64, rhg's hypergradient with
 * respect to each (graph and replay strategies alike) matches a central finite difference of the
 * unrolled upper-level objective in that hyperparameter alone, and is not zero.
 */
class RhgLearnedHyperparametersTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final PluginRegistry PLUGINS = TestKit.plugins();
  private static final int STEPS = 4;

  record Setting(Family family, String dynamics, Map<String, String> options) {
    @Override
    public String toString() {
      return family + ", " + dynamics + " " + options;
    }
  }

  static List<Setting> settings() {
    List<Setting> settings = new ArrayList<>();
    for (Family family : Family.values()) {
      settings.add(new Setting(family, "gd", Map.of("lr", "0.01", "learn-lr", "true")));
      settings.add(new Setting(family, "adam", Map.of("lr", "0.01", "learn-lr", "true")));
      settings.add(
          new Setting(
              family,
              "momentum",
              Map.of(
                  "lr", "0.03", "momentum", "0.6", "learn-lr", "true", "learn-momentum", "true")));
      settings.add(
          new Setting(
              family,
              "momentum",
              Map.of("lr", "0.03", "momentum", "0.6", "learn-momentum", "true")));
    }
    return settings;
  }

  /** The settings of one family: the family does not matter to a problem of one's own. */
  static List<Setting> ownProblemSettings() {
    return settings().stream().filter(s -> s.family() == Family.META_INITIALIZATION).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void eachLearnedHyperparameterGetsTheHypergradientOfFiniteDifferences(Setting setting) {
    IterationModuleProvider provider = PLUGINS.iteration(setting.dynamics());
    ModelExtension extension =
        provider
            .modelExtension(Options.forProvider(setting.options(), provider), STEPS)
            .orElseThrow();
    IterationModule dynamics = provider.create(setting.options());
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, setting.family(), 5, Optional.of(extension));
      Variables x = instance.x();
      List<String> learned =
          x.names().stream().filter(n -> n.startsWith(setting.dynamics() + ".")).toList();
      List<String> expected = new ArrayList<>();
      if (setting.options().containsKey("learn-lr")) {
        expected.add(setting.dynamics() + ".log-lr");
        assertEquals(
            Math.log(Double.parseDouble(setting.options().get("lr"))),
            x.get(setting.dynamics() + ".log-lr").getDouble(),
            1e-15);
      }
      if (setting.options().containsKey("learn-momentum")) {
        expected.add("momentum.logit-momentum");
        assertEquals(Math.log(0.6 / 0.4), x.get("momentum.logit-momentum").getDouble(), 1e-15);
      }
      assertEquals(expected, learned);
      Variables graph =
          RhgGradientTest.rhg("graph")
              .compute(instance.problem(), dynamics, x.map(D::leaf), STEPS, D)
              .gradient();
      Variables replay =
          RhgGradientTest.rhg("replay")
              .compute(instance.problem(), dynamics, x.map(D::leaf), STEPS, D)
              .gradient();
      for (String name : learned) {
        double analytic = graph.get(name).getDouble();
        assertEquals(analytic, replay.get(name).getDouble(), 1e-10 * Math.abs(analytic) + 1e-14);
        Variables rest = x.select(n -> !n.equals(name));
        List<HypergradientCheck.Direction> check =
            HypergradientCheck.compare(
                point ->
                    HypergradientCheck.unrolledObjective(
                        instance.problem(), dynamics, point.merge(rest), STEPS, D),
                x.select(name::equals),
                graph.select(name::equals),
                1,
                1e-6,
                11);
        System.out.printf("rhg, %s: dF/d%s %.8e, %s%n", setting, name, analytic, check);
        assertTrue(Math.abs(analytic) > 1e-6, setting + ": " + name + " gets " + analytic);
        assertTrue(HypergradientCheck.worst(check) < 1e-6, setting + ", " + name + ": " + check);
      }
      assertArrayEquals(
          graph.values().get(0).toDoubleArray(), replay.values().get(0).toDoubleArray(), 1e-10);
    }
  }

  /**
   * HyperparameterOptimizer with the same options appends the learned hyperparameters to the
   * user's, and its reported hypergradient (rhg, at x before the update) matches central finite
   * differences of the unrolled objective in every direction and in each learned one alone; the
   * outer SGD step moves them by exactly that hypergradient.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("ownProblemSettings")
  void hyperparameterOptimizationLearnsThemToo(Setting setting) {
    IterationModuleProvider provider = PLUGINS.iteration(setting.dynamics());
    IterationModule dynamics = provider.create(setting.options());
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 21);
      Variables start = problem.initialMeta(22);
      List<IterationReport> reports = new ArrayList<>();
      double outerRate = 0.01;
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(problem)
              .hyperparameters(start)
              .dynamics(provider, setting.options())
              .hypergradient(PLUGINS.hypergradient("rhg"), Map.of())
              .innerSteps(STEPS)
              .optimizer(OuterOptimizer.sgd(), outerRate)
              .build()) {
        Variables x0 = search.hyperparameters().map(a -> a.duplicate());
        List<String> learned =
            x0.names().stream().filter(n -> n.startsWith(setting.dynamics() + ".")).toList();
        assertEquals(x0.names().size(), 1 + learned.size(), x0.names().toString());
        assertTrue(!learned.isEmpty());
        search.run(1, reports::add);
        Variables gradient = reports.get(0).hypergradient().toVariables(manager, DataType.FLOAT64);
        assertEquals(x0.names(), gradient.names());
        List<HypergradientCheck.Direction> all =
            HypergradientCheck.compare(
                z -> HypergradientCheck.unrolledObjective(problem, dynamics, z, STEPS, D),
                x0,
                gradient,
                4,
                1e-6,
                23);
        assertTrue(HypergradientCheck.worst(all) < 1e-6, setting + ": " + all);
        for (String name : learned) {
          Variables rest = x0.select(n -> !n.equals(name));
          List<HypergradientCheck.Direction> alone =
              HypergradientCheck.compare(
                  point ->
                      HypergradientCheck.unrolledObjective(
                          problem, dynamics, point.merge(rest), STEPS, D),
                  x0.select(name::equals),
                  gradient.select(name::equals),
                  1,
                  1e-6,
                  24);
          double g = gradient.get(name).getDouble();
          assertTrue(Math.abs(g) > 1e-6, name + " gets " + g);
          assertTrue(HypergradientCheck.worst(alone) < 1e-6, setting + ", " + name + alone);
          assertEquals(
              x0.get(name).getDouble() - outerRate * g,
              search.hyperparameters().get(name).getDouble(),
              1e-15);
        }
      }
    }
  }
}
