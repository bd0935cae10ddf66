package org.boml.plugins.hoag;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Set;
import org.boml.api.Variables;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.testkit.CombinationCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.boml.testkit.contract.CombinationContract;
import org.junit.jupiter.api.Test;

/**
 * hoag needs dynamics with stationary limits whose steps read no meta-parameter of their own, x in
 * the lower-level objective (the meta-feature family) and T >= 1; anything else is refused before
 * training with a message that names both plugins.
 */
class HoagCombinationsTest extends CombinationContract {
  /** The dynamics hoag works with, by its documented requirements. */
  HoagCombinationsTest() {
    super(
        "hoag",
        (dynamics, family, steps) ->
            Set.of("gd", "momentum", "adam").contains(dynamics)
                && family == Family.META_FEATURE
                && steps >= 1);
  }

  /**
   * The implicit hypergradient sees x only through f and F at y_T: a learned step size would get
   * exactly zero, so hoag refuses it, also on a problem of one's own, before any work.
   */
  @Test
  void aLearnedStepSizeIsRefused() {
    PluginRegistry registry = TestKit.plugins();
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, 1);
      Variables start =
          quadratic
              .initialMeta(2)
              .merge(
                  Variables.of(
                      Map.of(
                          "log_lr",
                          TestKit.differentiator()
                              .constant(manager, Math.log(0.1), DataType.FLOAT64))));
      IncompatiblePluginsException error =
          assertThrows(
              IncompatiblePluginsException.class,
              () ->
                  HyperparameterOptimizer.builder()
                      .problem(quadratic)
                      .hyperparameters(start)
                      .dynamics(registry.iteration("momentum"), Map.of("lr-variable", "log_lr"))
                      .hypergradient(registry.hypergradient("hoag"), Map.of())
                      .innerSteps(50)
                      .build());
      assertTrue(
          error
                  .getMessage()
                  .startsWith("hypergradient 'hoag' cannot be used with dynamics 'momentum': ")
              && error.getMessage().contains("steps-without-meta-parameters")
              && error.getMessage().contains("[lr-variable=log_lr]"),
          error.getMessage());
    }
  }

  @Test
  void metaInitializationIsRefusedWithTheFamilyThatWorks() {
    PluginRegistry registry = TestKit.plugins();
    IncompatiblePluginsException error =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                CombinationCheck.build(
                    registry.hypergradient("hoag"),
                    Map.of(),
                    registry.iteration("gd"),
                    Map.of(),
                    Family.META_INITIALIZATION,
                    5));
    System.out.println(error.getMessage());
    assertTrue(
        error.getMessage().contains("x-in-lower-objective")
            && error.getMessage().contains("meta-init")
            && error.getMessage().contains("use the meta-feature family instead"),
        error.getMessage());
  }
}
