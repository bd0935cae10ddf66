package org.boml.plugins.hoag;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.boml.runtime.check.CombinationCheck;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.junit.jupiter.api.Test;

/**
 * hoag needs dynamics with stationary limits, x in the lower-level objective (the meta-feature
 * family) and T >= 1; anything else is refused before training with a message that names both
 * plugins.
 */
class HoagCombinationsTest {
  /** The dynamics hoag works with, by its documented requirements. */
  private static final Set<String> DYNAMICS = Set.of("gd", "momentum", "adam");

  @Test
  void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    int accepted =
        CombinationCheck.checkEveryCombination(
            PluginRegistry.discover(List.of()),
            "hoag",
            (dynamics, family, steps) ->
                DYNAMICS.contains(dynamics) && family == Family.META_FEATURE && steps >= 1);
    assertTrue(accepted > 0);
  }

  @Test
  void metaInitializationIsRefusedWithTheFamilyThatWorks() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
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
            && error.getMessage().contains("--family meta-feature"),
        error.getMessage());
  }
}
