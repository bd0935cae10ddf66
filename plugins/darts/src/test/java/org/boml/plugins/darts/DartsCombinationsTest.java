package org.boml.plugins.darts;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CombinationCheck;
import org.boml.testkit.TestKit;
import org.boml.testkit.contract.CombinationContract;
import org.junit.jupiter.api.Test;

/**
 * darts needs plain gradient steps with its own lr, x in the lower-level objective (the meta-
 * feature family) and T >= 1; anything else is refused before training with a message that names
 * both plugins, what is missing and the dynamics that would do; its lr is taken from the dynamics.
 */
class DartsCombinationsTest extends CombinationContract {
  /** The dynamics darts works with, by its documented requirements. */
  DartsCombinationsTest() {
    super(
        "darts",
        (dynamics, family, steps) ->
            dynamics.equals("gd") && family == Family.META_FEATURE && steps >= 1);
  }

  @Test
  void momentumIsRefusedNamingWhatIsMissingAndGradientDescentAsTheAlternative() {
    PluginRegistry registry = TestKit.plugins();
    IncompatiblePluginsException error =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                CombinationCheck.build(
                    registry.hypergradient("darts"),
                    Map.of(),
                    registry.iteration("momentum"),
                    Map.of("lr", "0.1"),
                    Family.META_FEATURE,
                    1));
    String message = error.getMessage();
    System.out.println(message);
    assertTrue(message.contains("'darts'") && message.contains("'momentum'"), message);
    assertTrue(message.contains("it requires gradient-step"), message);
    assertTrue(message.contains("dynamics that do, with their default options: gd"), message);
  }

  @Test
  void itsStepSizeIsTheDynamicsOneAndADifferentOneIsRefused() {
    PluginRegistry registry = TestKit.plugins();
    HypergradientModuleProvider darts = registry.hypergradient("darts");
    IterationModuleProvider gd = registry.iteration("gd");
    CombinationCheck.build(
        darts, Map.of("lr", "0.25"), gd, Map.of("lr", "0.25"), Family.META_FEATURE, 1);
    IncompatiblePluginsException error =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                CombinationCheck.build(
                    darts, Map.of("lr", "0.1"), gd, Map.of("lr", "0.25"), Family.META_FEATURE, 1));
    assertTrue(
        error.getMessage().contains("its option lr=0.1 must equal the dynamics' lr=0.25"),
        error.getMessage());
  }
}
