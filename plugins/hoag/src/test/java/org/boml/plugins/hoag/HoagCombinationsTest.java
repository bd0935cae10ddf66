package org.boml.plugins.hoag;

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
 * hoag needs dynamics with stationary limits, x in the lower-level objective (the meta-feature
 * family) and T >= 1; anything else is refused before training with a message that names both
 * plugins.
 */
class HoagCombinationsTest {
  /** The dynamics hoag works with, by its documented requirements. */
  private static final Set<String> DYNAMICS = Set.of("gd", "momentum", "adam");

  @Test
  void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    HypergradientModuleProvider method = registry.hypergradient("hoag");
    int accepted = 0;
    for (IterationModuleProvider dynamics : registry.iterations()) {
      for (Family family : Family.values()) {
        for (int steps : new int[] {0, 1, 3}) {
          boolean legal = DYNAMICS.contains(dynamics.name()) && family == Family.META_FEATURE && steps >= 1;
          String label = dynamics.name() + ", " + family + ", T=" + steps;
          if (legal) {
            CombinationCheck.build(method, Map.of(), dynamics, Map.of(), family, steps);
            accepted++;
          } else {
            IncompatiblePluginsException error = assertThrows(IncompatiblePluginsException.class,
                () -> CombinationCheck.build(method, Map.of(), dynamics, Map.of(), family, steps), label);
            assertTrue(error.getMessage().startsWith(
                "hypergradient 'hoag' cannot be used with dynamics '" + dynamics.name() + "': "), error.getMessage());
          }
        }
      }
    }
    assertTrue(accepted > 0);
  }

  @Test
  void metaInitializationIsRefusedWithTheFamilyThatWorks() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    IncompatiblePluginsException error = assertThrows(IncompatiblePluginsException.class,
        () -> CombinationCheck.build(registry.hypergradient("hoag"), Map.of(), registry.iteration("gd"), Map.of(),
            Family.META_INITIALIZATION, 5));
    System.out.println(error.getMessage());
    assertTrue(error.getMessage().contains("x-in-lower-objective") && error.getMessage().contains("meta-init")
        && error.getMessage().contains("--family meta-feature"), error.getMessage());
  }
}
