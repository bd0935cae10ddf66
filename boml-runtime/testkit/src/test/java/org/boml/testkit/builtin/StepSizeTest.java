package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.StepSize;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A step size read from x, lr = exp(x[log_lr]), for gd, momentum and adam: the trajectory is that
 * of the constant exp(log_lr); the hypergradient through the steps (graph kept) reaches log_lr and
 * matches central finite differences; a missing or non-scalar variable is refused with its name,
 * and learned-step gd is no longer a gradient-step for methods that need a constant.
 */
class StepSizeTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());
  private static final double LOG_LR = Math.log(0.1);

  private static Variables withLogRate(QuadraticProblem problem, NDManager manager, long seed) {
    return problem
        .initialMeta(seed)
        .merge(Variables.of(Map.of("log_lr", D.constant(manager, LOG_LR, DataType.FLOAT64))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gd", "momentum", "adam"})
  void aLearnedStepSizeFollowsTheConstantTrajectoryAndItsHypergradientMatchesFiniteDifferences(
      String name) {
    IterationModuleProvider provider = REGISTRY.iteration(name);
    IterationModule learned = provider.create(Map.of(StepSize.VARIABLE, "log_lr"));
    IterationModule fixed = provider.create(Map.of("lr", Double.toString(Math.exp(LOG_LR))));
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 3, 5, 41);
      Variables x = withLogRate(problem, manager, 42);
      Variables a = learned.initialize(x, problem, D);
      Variables b = fixed.initialize(x, problem, D);
      for (int t = 0; t < 5; t++) {
        a = learned.step(t, x, a, problem, D, false);
        b = fixed.step(t, x, b, problem, D, false);
      }
      assertArrayEquals(b.get("y").toDoubleArray(), a.get("y").toDoubleArray(), 1e-14);
      int steps = 6;
      Variables leaves = x.map(D::leaf);
      Variables y = learned.initialize(leaves, problem, D);
      for (int t = 0; t < steps; t++) {
        y = learned.step(t, leaves, y, problem, D, true);
      }
      Variables gradient = D.gradient(problem.upperObjective(leaves, y), leaves, false);
      double logRateComponent = gradient.get("log_lr").getDouble();
      assertTrue(
          Math.abs(logRateComponent) > 1e-3,
          "the hypergradient reaches log_lr: " + logRateComponent);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              z -> HypergradientCheck.unrolledObjective(problem, learned, z, steps, D),
              x,
              gradient,
              4,
              1e-6,
              43);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, name + ": " + check);
      System.out.printf(
          "%s with lr=exp(x[log_lr]): d/dlog_lr %.6f, worst relative error vs FD %.1e%n",
          name, logRateComponent, HypergradientCheck.worst(check));
    }
  }

  @Test
  void aMissingOrNonScalarVariableIsRefusedWithItsName() {
    IterationModule gd = REGISTRY.iteration("gd").create(Map.of(StepSize.VARIABLE, "log_lr"));
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem problem = new QuadraticProblem(manager, 2, 3, 1);
      Variables x = problem.initialMeta(2);
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> gd.step(0, x, problem.initialBase(x), problem, D, false));
      assertTrue(
          error.getMessage().contains("x['log_lr'], but x holds")
              && error.getMessage().contains("[x]"),
          error.getMessage());
      Variables wide =
          x.merge(Variables.of(Map.of("log_lr", manager.zeros(new Shape(2), DataType.FLOAT64))));
      error =
          assertThrows(
              IllegalArgumentException.class,
              () -> gd.step(0, wide, problem.initialBase(wide), problem, D, false));
      assertTrue(error.getMessage().contains("one element"), error.getMessage());
    }
    IllegalStateException noConstant =
        assertThrows(IllegalStateException.class, () -> ((GradientDescent) gd).learningRate());
    assertTrue(noConstant.getMessage().contains("exp(x[log_lr])"), noConstant.getMessage());
  }

  @Test
  void learnedStepGradientDescentIsNotAGradientStep() {
    IterationModuleProvider gd = REGISTRY.iteration("gd");
    assertTrue(
        gd.capabilities(Options.forProvider(Map.of(), gd)).contains(Capabilities.GRADIENT_STEP));
    assertFalse(
        gd.capabilities(Options.forProvider(Map.of(StepSize.VARIABLE, "log_lr"), gd))
            .contains(Capabilities.GRADIENT_STEP));
    assertEquals(
        Map.of(StepSize.VARIABLE, ""),
        Map.of(StepSize.VARIABLE, Options.forProvider(Map.of(), gd).get(StepSize.VARIABLE)));
  }
}
