package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.testkit.QuadraticProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The learn-lr and learn-momentum options of gd, momentum and adam: the extension adds scalars
 * named after the dynamics with log(lr) and logit(mu); at those values the trajectory is that of
 * the constants (float64); the learned dynamics lose the capabilities of constant steps;
 * conflicting or impossible options are refused with a message naming them. (The hypergradients are
 * checked against finite differences in RhgLearnedHyperparametersTest and FirstOrderTest.)
 */
class LearnedHyperparametersTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());

  @ParameterizedTest
  @CsvSource({
    "gd, learn-lr, gd.log-lr",
    "adam, learn-lr, adam.log-lr",
    "momentum, learn-lr, momentum.log-lr",
    "momentum, learn-momentum, momentum.logit-momentum"
  })
  void atTheirInitialValuesTheTrajectoryIsThatOfTheConstants(
      String dynamics, String option, String added) {
    IterationModuleProvider provider = REGISTRY.iteration(dynamics);
    Map<String, String> constants = Map.of("lr", "0.07");
    if (dynamics.equals("momentum")) {
      constants = Map.of("lr", "0.07", "momentum", "0.8");
    }
    Map<String, String> learned = new HashMap<>(constants);
    learned.put(option, "true");
    ModelExtension extension =
        provider.modelExtension(Options.forProvider(learned, provider)).orElseThrow();
    assertTrue(provider.modelExtension(Options.forProvider(constants, provider)).isEmpty());
    try (NDManager manager = NDManager.newBaseManager()) {
      List<ParameterSpec> specs = extension.parameters(null, Set.of());
      assertEquals(List.of(added), specs.stream().map(ParameterSpec::name).toList());
      assertEquals(0, specs.get(0).shape().dimension());
      Variables scalars = extension.initialize(specs, manager, DataType.FLOAT64, 0);
      double expected = option.equals("learn-lr") ? Math.log(0.07) : Math.log(0.8 / 0.2);
      assertEquals(expected, scalars.get(added).getDouble(), 1e-15);
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 3);
      Variables x = problem.initialMeta(4).merge(scalars);
      IterationModule a = provider.create(learned);
      IterationModule b = provider.create(constants);
      Variables ya = a.initialize(x, problem, D);
      Variables yb = b.initialize(x, problem, D);
      for (int t = 0; t < 6; t++) {
        ya = a.step(t, x, ya, problem, D, false);
        yb = b.step(t, x, yb, problem, D, false);
      }
      for (String name : yb.names()) {
        assertArrayEquals(yb.get(name).toDoubleArray(), ya.get(name).toDoubleArray(), 1e-13, name);
      }
      Options options = Options.forProvider(learned, provider);
      assertFalse(
          provider.capabilities(options).contains(Capabilities.STEPS_WITHOUT_META_PARAMETERS));
      assertFalse(provider.capabilities(options).contains(Capabilities.GRADIENT_STEP));
    }
  }

  @Test
  void conflictingOrImpossibleOptionsAreRefusedByName() {
    IterationModuleProvider gd = REGISTRY.iteration("gd");
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () -> gd.create(Map.of("learn-lr", "true", "lr-variable", "log_lr")));
    assertTrue(
        both.getMessage().contains("gd")
            && both.getMessage().contains("learn-lr=true")
            && both.getMessage().contains("lr-variable=log_lr"),
        both.getMessage());
    IterationModuleProvider momentum = REGISTRY.iteration("momentum");
    Map<String, String> zero = Map.of("momentum", "0", "learn-momentum", "true");
    IllegalArgumentException noStart =
        assertThrows(
            IllegalArgumentException.class,
            () -> momentum.modelExtension(Options.forProvider(zero, momentum)));
    assertTrue(
        noStart.getMessage().contains("momentum") && noStart.getMessage().contains("(0, 1)"),
        noStart.getMessage());
    IllegalArgumentException notABoolean =
        assertThrows(IllegalArgumentException.class, () -> gd.create(Map.of("learn-lr", "yes")));
    assertTrue(notABoolean.getMessage().contains("learn-lr"), notABoolean.getMessage());
    IllegalStateException learnedMu =
        assertThrows(
            IllegalStateException.class,
            () -> ((HeavyBall) momentum.create(Map.of("learn-momentum", "true"))).momentum());
    assertTrue(learnedMu.getMessage().contains(HeavyBall.LOGIT_MOMENTUM), learnedMu.getMessage());
  }
}
