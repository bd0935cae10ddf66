package org.boml.plugins.fmaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.boml.api.Capabilities;
import org.boml.api.Variables;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.problem.Bilevel;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.QuadraticProblem;
import org.boml.testkit.TestKit;
import org.boml.testkit.contract.CombinationContract;
import org.junit.jupiter.api.Test;

/**
 * fmaml requires nothing of the dynamics and, of the problem, that every meta-parameter reach F or
 * y_0: both families of the meta-training loop have that, so every combination with the discovered
 * dynamics builds; a problem declared to have hyperparameters of f alone is refused before any
 * work, naming both plugins.
 */
class FmamlCombinationsTest extends CombinationContract {
  /** The dynamics fmaml works with, by its documented requirements. */
  FmamlCombinationsTest() {
    super(
        "fmaml",
        (dynamics, family, steps) ->
            Set.of("gd", "momentum", "adam", "bda", "metasgd", "mtnet").contains(dynamics));
  }

  @Test
  void aProblemWhoseHyperparametersEnterOnlyFIsRefusedBeforeAnyWork() {
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, 1);
      AtomicInteger evaluations = new AtomicInteger();
      Bilevel counted =
          Bilevel.ofSteps(
              (step, x, y) -> {
                evaluations.incrementAndGet();
                return quadratic.lowerObjective(step, x, y);
              },
              (x, y) -> {
                evaluations.incrementAndGet();
                return quadratic.upperObjective(x, y);
              },
              x -> {
                evaluations.incrementAndGet();
                return quadratic.initialBase(x);
              });
      Variables start = quadratic.initialMeta(2);
      HyperparameterOptimizer.Builder builder =
          HyperparameterOptimizer.builder()
              .problem(counted)
              .problemKind(
                  Compatibility.ProblemKind.declared(
                      "the quadratic problem (x enters only f)",
                      Set.of(Capabilities.X_IN_LOWER_OBJECTIVE)))
              .hyperparameters(start)
              .dynamics(TestKit.dynamics("gd"), Map.of())
              .hypergradient(TestKit.hypergradient("fmaml"), Map.of())
              .innerSteps(10);
      IncompatiblePluginsException refusal =
          assertThrows(IncompatiblePluginsException.class, builder::build);
      String message = refusal.getMessage();
      assertTrue(
          message.startsWith("hypergradient 'fmaml' cannot be used with dynamics 'gd': ")
              && message.contains(Capabilities.X_BEYOND_LOWER_OBJECTIVE)
              && message.contains("the quadratic problem (x enters only f)")
              && message.contains("rhg"),
          message);
      assertEquals(0, evaluations.get(), "the problem was evaluated");
      try (HyperparameterOptimizer search =
          builder.hypergradient(HypergradientCheck.unrolled()).build()) {
        search.run(1, report -> {});
      }
      assertTrue(evaluations.get() > 0);
    }
  }
}
