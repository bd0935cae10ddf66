package org.boml.plugins.rhg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.boml.runtime.check.CombinationCheck;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/**
 * rhg differentiates through any differentiable dynamics, in both families and for any T: every
 * combination with the discovered dynamics builds.
 */
class RhgCombinationsTest {
  /** The dynamics rhg works with, by its documented requirements. */
  private static final Set<String> DYNAMICS = Set.of("gd", "momentum", "adam");

  @Test
  void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    int accepted =
        CombinationCheck.checkEveryCombination(
            PluginRegistry.discover(List.of()),
            "rhg",
            (dynamics, family, steps) -> DYNAMICS.contains(dynamics));
    assertTrue(accepted > 0);
  }
}
