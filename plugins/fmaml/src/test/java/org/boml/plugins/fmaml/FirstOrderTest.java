package org.boml.plugins.fmaml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.Adam;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.plugins.basicdynamics.StepSize;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.RecordedDerivatives;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First-order MAML in float64 is exactly the gradient of its surrogate, the unrolled objective with
 * every derivative the steps take held at its value on the trajectory: checked against central
 * finite differences of that surrogate (evaluated by replaying the recorded derivatives, {@link
 * RecordedDerivatives}) for every group of meta-parameters, with plain, momentum and Adam steps,
 * Meta-SGD's learned step sizes, MT-net's transforms and masks, and the learned step sizes of gd,
 * momentum and adam, momentum's learned coefficient and BDA's learned weight and {@code s_u}; for
 * gradient descent with a constant step size it is the classic {@code d/dx F(x, Psi_0(x) + Delta)},
 * and differs from the full hypergradient.
 */
class FirstOrderTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final PluginRegistry PLUGINS = TestKit.plugins();
  private static final int STEPS = 3;

  /** The learned hyperparameters of gd, momentum and adam: each is a group of its own. */
  private static final Pattern LEARNED =
      Pattern.compile("(gd|momentum|adam)\\.(log-lr|logit-momentum)|bda\\.(alpha|log-s_u)");

  /**
   * Dynamics on a problem.
   *
   * @param label for reports
   * @param problem builds the problem and its meta-parameters
   * @param dynamics the lower-level dynamics
   * @param straightThrough the meta-parameters whose gradient is a straight-through estimate, which
   *     no finite difference can check (MT-net's mask logits): held fixed in the check
   */
  record Setting(
      String label,
      Function<NDManager, CheckProblems.Instance> problem,
      IterationModule dynamics,
      Predicate<String> straightThrough) {
    @Override
    public String toString() {
      return label;
    }
  }

  static List<Setting> settings() {
    List<Setting> settings = new ArrayList<>();
    for (CheckProblems.Case c : CheckProblems.standardCases(3)) {
      double lr = c.learningRate();
      settings.add(new Setting(c + ", gd", c.factory(), new GradientDescent(lr), n -> false));
      settings.add(new Setting(c + ", momentum", c.factory(), new HeavyBall(lr, 0.7), n -> false));
      settings.add(
          new Setting(c + ", adam", c.factory(), new Adam(lr, 0.9, 0.999, 1e-8), n -> false));
    }
    for (Family family : Family.values()) {
      settings.add(extended(family, "metasgd", Map.of("lr", "0.03")));
      settings.add(extended(family, "metasgd", Map.of("lr", "0.03", "scalar", "true")));
      settings.add(extended(family, "mtnet", Map.of("lr", "0.05", "mask-init", "0.3")));
      settings.add(extended(family, "mtnet", Map.of("lr", "0.05", "masks", "false")));
      settings.add(extended(family, "gd", Map.of("lr", "0.02", "learn-lr", "true")));
      settings.add(
          extended(
              family,
              "momentum",
              Map.of(
                  "lr", "0.02", "momentum", "0.5", "learn-lr", "true", "learn-momentum", "true")));
      settings.add(extended(family, "adam", Map.of("lr", "0.01", "learn-lr", "true")));
      settings.add(
          extended(
              family,
              "bda",
              Map.of("lr", "0.02", "alpha", "0.6", "learn-alpha", "true", "learn-s", "true")));
    }
    return settings;
  }

  /** A dynamics plugin that adds meta-parameters, on the sinusoid MLP. */
  private static Setting extended(Family family, String name, Map<String, String> options) {
    IterationModuleProvider provider = PLUGINS.iteration(name);
    Optional<ModelExtension> extension =
        provider.modelExtension(Options.forProvider(options, provider));
    return new Setting(
        "sinusoid MLP, " + family + ", " + name + " " + options,
        m -> CheckProblems.sinusoidMlp(m, family, 5, extension),
        provider.create(options),
        n -> n.startsWith("mtnet.zeta/"));
  }

  private static Hypergradient firstOrder(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps) {
    return new FirstOrderProvider()
        .create(Map.of())
        .compute(problem, dynamics, x.map(D::leaf), steps, D);
  }

  /**
   * The surrogate {@code F(x, z_T(x))}: {@code z_0 = Psi_0(x)}, then the steps with every
   * derivative they take replaced by the recorded one.
   */
  private static double surrogate(
      BilevelProblem problem, IterationModule dynamics, Variables x, RecordedDerivatives recorded) {
    recorded.replay();
    Variables z = dynamics.initialize(x, problem, D);
    for (int t = 0; t < STEPS; t++) {
      z = dynamics.step(t, x, z, problem, recorded, false);
    }
    recorded.requireAllReplayed();
    return value(problem.upperObjective(x, z));
  }

  /** Runs the dynamics from x0 and records the derivatives of every step. */
  private static RecordedDerivatives record(
      BilevelProblem problem, IterationModule dynamics, Variables x0) {
    RecordedDerivatives recorded = new RecordedDerivatives(D);
    Variables y = dynamics.initialize(x0, problem, D);
    for (int t = 0; t < STEPS; t++) {
      y = dynamics.step(t, x0, y, problem, recorded, false);
    }
    return recorded;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void isTheGradientOfTheSurrogateForEveryGroupOfMetaParameters(Setting setting) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = setting.problem().apply(manager);
      BilevelProblem problem = instance.problem();
      Variables x0 = instance.x();
      Variables gradient = firstOrder(problem, setting.dynamics(), x0, STEPS).gradient();
      RecordedDerivatives recorded = record(problem, setting.dynamics(), x0);
      for (String group : groups(x0)) {
        Predicate<String> inGroup = name -> group(name).equals(group);
        Variables part = x0.select(inGroup);
        assertTrue(
            maxAbs(gradient.select(inGroup)) > 0,
            setting + ": group " + group + " gets no hypergradient");
        if (part.names().stream().allMatch(setting.straightThrough())) {
          continue;
        }
        Predicate<String> checked = inGroup.and(setting.straightThrough().negate());
        Variables rest = x0.select(checked.negate());
        List<HypergradientCheck.Direction> check =
            HypergradientCheck.compare(
                point -> surrogate(problem, setting.dynamics(), point.merge(rest), recorded),
                x0.select(checked),
                gradient.select(checked),
                3,
                1e-6,
                9);
        assertTrue(
            HypergradientCheck.worst(check) < 1e-6, setting + ", group " + group + ": " + check);
      }
    }
  }

  /** The group of a meta-parameter: the prefix of an added one, else the model's. */
  private static String group(String name) {
    int slash = name.indexOf('/');
    if (slash > 0) {
      return name.substring(0, slash);
    }
    return name.startsWith("metasgd.") || LEARNED.matcher(name).matches() ? name : "model";
  }

  private static Set<String> groups(Variables x) {
    Set<String> groups = new TreeSet<>();
    x.names().forEach(name -> groups.add(group(name)));
    return groups;
  }

  /**
   * With a constant step size the steps add a displacement that does not depend on x: the result is
   * the classic first-order MAML, d/dx F(x, Psi_0(x) + Delta) with Delta = y_T - y_0 frozen, and
   * not the full hypergradient.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("standardCases")
  void withAConstantStepSizeItIsTheGradientWithTheDisplacementFrozen(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule dynamics = new GradientDescent(testCase.learningRate());
      Hypergradient first = firstOrder(problem, dynamics, instance.x(), STEPS);

      Variables start = dynamics.initialize(instance.x(), problem, D);
      Variables end = start;
      for (int t = 0; t < STEPS; t++) {
        end = dynamics.step(t, instance.x(), end, problem, D, false);
      }
      Variables displacement = end.zip(start, NDArray::sub);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              x ->
                  value(
                      problem.upperObjective(
                          x, dynamics.initialize(x, problem, D).zip(displacement, NDArray::add))),
              instance.x(),
              first.gradient(),
              4,
              1e-6,
              9);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, testCase + ": " + check);

      List<HypergradientCheck.Direction> unrolled =
          HypergradientCheck.compareWithUnrolled(
              problem, dynamics, instance.x(), first.gradient(), STEPS, D, 9);
      assertTrue(
          HypergradientCheck.worst(unrolled) > 1e-4,
          "first-order MAML should not equal the exact hypergradient: " + unrolled);
    }
  }

  static List<CheckProblems.Case> standardCases() {
    return CheckProblems.standardCases(3);
  }

  /**
   * A learned step size (gd with lr-variable) keeps its hypergradient, which is that of the
   * surrogate; a hyperparameter that enters only f gets exactly zero (first order does not
   * differentiate through grad_y f).
   */
  @Test
  void aLearnedStepSizeLearnsButAHyperparameterOfFAloneGetsZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 31);
      NDArray logLr = D.constant(manager, Math.log(0.1), DataType.FLOAT64);
      Variables x0 = problem.initialMeta(32).merge(Variables.of(Map.of("log_lr", logLr)));
      IterationModule dynamics = new GradientDescent(StepSize.fromVariable("log_lr"));
      Variables gradient = firstOrder(problem, dynamics, x0, STEPS).gradient();
      assertEquals(0, maxAbs(gradient.select("x"::equals)), 0);
      assertTrue(maxAbs(gradient.select("log_lr"::equals)) > 1e-3, gradient::toString);
      RecordedDerivatives recorded = record(problem, dynamics, x0);
      Variables rest = x0.select("x"::equals);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              point -> surrogate(problem, dynamics, point.merge(rest), recorded),
              x0.select("log_lr"::equals),
              gradient.select("log_lr"::equals),
              2,
              1e-6,
              3);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check::toString);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("standardCases")
  void withoutStepsItIsTheExactGradient(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      IterationModule dynamics = new GradientDescent(testCase.learningRate());
      Hypergradient first = firstOrder(instance.problem(), dynamics, instance.x(), 0);
      Variables x = instance.x().map(D::leaf);
      Variables exact =
          D.gradient(
              instance.problem().upperObjective(x, dynamics.initialize(x, instance.problem(), D)),
              x,
              false);
      for (String name : x.names()) {
        assertArrayEquals(
            exact.get(name).toDoubleArray(),
            first.gradient().get(name).toDoubleArray(),
            1e-12,
            name);
      }
    }
  }

  @Test
  void theResultCarriesNoGraph() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 3);
      Hypergradient first =
          firstOrder(instance.problem(), new HeavyBall(0.02, 0.5), instance.x(), STEPS);
      assertTrue(
          TestKit.requiresGradient(first.gradient().values()).stream().noneMatch(b -> b),
          "the result carries a graph");
    }
  }

  private static double maxAbs(Variables values) {
    double max = 0;
    for (NDArray v : values.values()) {
      max = Math.max(max, v.abs().max().toType(DataType.FLOAT64, false).getDouble());
    }
    return max;
  }

  private static double value(NDArray scalar) {
    return scalar.toType(DataType.FLOAT64, false).getDouble();
  }
}
