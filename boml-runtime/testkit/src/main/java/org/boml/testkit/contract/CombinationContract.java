package org.boml.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.boml.testkit.CombinationCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a hypergradient plugin's combinations: with every dynamics on the module path,
 * both families and {@code T} in {0, 1, 3}, the runtime accepts the combinations that the plugin's
 * documented requirements allow and refuses the others before any work, with a message that starts
 * by naming both plugins ({@link CombinationCheck#checkEveryCombination}). A plugin's test extends
 * it, naming the plugin and which combinations are legal:
 *
 * <pre>{@code
 * class RhgCombinationsTest extends CombinationContract {
 *   RhgCombinationsTest() {
 *     super("rhg", (dynamics, family, steps) -> Set.of("gd", "momentum", "adam").contains(dynamics));
 *   }
 * }
 * }</pre>
 */
public abstract class CombinationContract {
  private final String hypergradient;
  private final CombinationCheck.Rule legal;

  /**
   * The contract of one plugin.
   *
   * @param hypergradient the hypergradient plugin's name
   * @param legal its documented requirements: true for the combinations the runtime must accept
   */
  protected CombinationContract(String hypergradient, CombinationCheck.Rule legal) {
    this.hypergradient = hypergradient;
    this.legal = legal;
  }

  /** Every discovered combination is accepted or refused as documented, and some build. */
  @Test
  public void everyDiscoveredDynamicsFamilyAndHorizonIsAcceptedOrRefusedAsDeclared() {
    int accepted = CombinationCheck.checkEveryCombination(TestKit.plugins(), hypergradient, legal);
    assertTrue(accepted > 0, hypergradient + " is accepted with no dynamics at all");
  }
}
