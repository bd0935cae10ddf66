package org.boml.plugins.rhg;

import java.util.Set;
import org.boml.testkit.contract.CombinationContract;

/**
 * rhg differentiates through any differentiable dynamics, in both families and for any T: every
 * combination with the discovered dynamics builds.
 */
class RhgCombinationsTest extends CombinationContract {
  /** The dynamics it works with, by its documented requirements. */
  RhgCombinationsTest() {
    super("rhg", (dynamics, family, steps) -> Set.of("gd", "momentum", "adam").contains(dynamics));
  }
}
