package org.boml.plugins.trhg;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.runtime.check.CombinationCheck;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Family;
import org.junit.jupiter.api.Test;

/**
 * trhg differentiates through the last steps of any differentiable dynamics: every combination
 * with the discovered dynamics builds.
 */
class TrhgCombinationsTest {
  /** The dynamics trhg works with, by its documented requirements. */
  private static final Set<String> DYNAMICS = Set.of("gd", "momentum", "adam");

  @Test
  void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    HypergradientModuleProvider method = registry.hypergradient("trhg");
    int accepted = 0;
    for (IterationModuleProvider dynamics : registry.iterations()) {
      for (Family family : Family.values()) {
        for (int steps : new int[] {0, 1, 3}) {
          boolean legal = DYNAMICS.contains(dynamics.name());
          String label = dynamics.name() + ", " + family + ", T=" + steps;
          if (legal) {
            CombinationCheck.build(method, Map.of(), dynamics, Map.of(), family, steps);
            accepted++;
          } else {
            IncompatiblePluginsException error = assertThrows(IncompatiblePluginsException.class,
                () -> CombinationCheck.build(method, Map.of(), dynamics, Map.of(), family, steps), label);
            assertTrue(error.getMessage().startsWith(
                "hypergradient 'trhg' cannot be used with dynamics '" + dynamics.name() + "': "), error.getMessage());
          }
        }
      }
    }
    assertTrue(accepted > 0);
  }
}
