package org.boml.plugins.bda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Options;
import org.boml.runtime.problem.Family;
import org.boml.testkit.CombinationCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * bda declares differentiable steps on the base parameters with stationary limits; rhg takes it.
 */
class BdaCombinationsTest {
  @Test
  void declaresItsCapabilitiesAndBuildsWithRhg() {
    IterationModuleProvider bda = TestKit.dynamics("bda");
    assertEquals(
        Set.of(
            Capabilities.DIFFERENTIABLE_STEPS,
            Capabilities.SINGLE_STATE,
            Capabilities.STATIONARY_LIMIT,
            Capabilities.STEPS_WITHOUT_META_PARAMETERS),
        bda.capabilities(Options.forProvider(Map.of(), bda)));
    for (Family family : Family.values()) {
      for (int steps : new int[] {0, 1, 3}) {
        CombinationCheck.build(
            TestKit.hypergradient("rhg"), Map.of(), bda, Map.of(), family, steps);
      }
    }
  }
}
