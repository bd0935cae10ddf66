package org.boml.plugins.fhg;

import java.util.Set;
import org.boml.testkit.contract.CombinationContract;

/**
 * fhg differentiates through any differentiable dynamics (forward mode), in both families and for
 * any T: every combination with the discovered dynamics builds.
 */
class FhgCombinationsTest extends CombinationContract {
  /** The dynamics it works with, by its documented requirements. */
  FhgCombinationsTest() {
    super("fhg", (dynamics, family, steps) -> Set.of("gd", "momentum", "adam").contains(dynamics));
  }
}
