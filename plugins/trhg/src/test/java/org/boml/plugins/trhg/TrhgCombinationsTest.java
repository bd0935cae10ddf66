package org.boml.plugins.trhg;

import java.util.Set;
import org.boml.testkit.contract.CombinationContract;

/**
 * trhg differentiates through the last steps of any differentiable dynamics: every combination with
 * the discovered dynamics builds.
 */
class TrhgCombinationsTest extends CombinationContract {
  /** The dynamics it works with, by its documented requirements. */
  TrhgCombinationsTest() {
    super("trhg", (dynamics, family, steps) -> Set.of("gd", "momentum", "adam").contains(dynamics));
  }
}
