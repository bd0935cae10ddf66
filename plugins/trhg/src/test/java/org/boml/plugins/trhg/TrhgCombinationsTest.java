package org.boml.plugins.trhg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.boml.runtime.check.CombinationCheck;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/**
 * trhg differentiates through the last steps of any differentiable dynamics: every combination with
 * the discovered dynamics builds.
 */
class TrhgCombinationsTest {
  /** The dynamics trhg works with, by its documented requirements. */
  private static final Set<String> DYNAMICS = Set.of("gd", "momentum", "adam");

  @Test
  void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    int accepted =
        CombinationCheck.checkEveryCombination(
            PluginRegistry.discover(List.of()),
            "trhg",
            (dynamics, family, steps) -> DYNAMICS.contains(dynamics));
    assertTrue(accepted > 0);
  }
}
