package org.boml.plugins.fmaml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.boml.runtime.check.CombinationCheck;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/**
 * fmaml requires nothing of the dynamics: every combination with the discovered dynamics builds.
 */
class FmamlCombinationsTest {
  /** The dynamics fmaml works with, by its documented requirements. */
  private static final Set<String> DYNAMICS = Set.of("gd", "momentum", "adam", "metasgd", "mtnet");

  @Test
  void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    int accepted =
        CombinationCheck.checkEveryCombination(
            PluginRegistry.discover(List.of()),
            "fmaml",
            (dynamics, family, steps) -> DYNAMICS.contains(dynamics));
    assertTrue(accepted > 0);
  }
}
