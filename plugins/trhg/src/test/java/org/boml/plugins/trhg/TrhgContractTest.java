package org.boml.plugins.trhg;

import java.util.Map;
import org.boml.api.HypergradientModuleProvider;
import org.boml.testkit.contract.HypergradientModuleContract;

/** trhg with a truncation of at least T is rhg, exact: the test kit's hypergradient contract. */
class TrhgContractTest extends HypergradientModuleContract {
  @Override
  protected HypergradientModuleProvider provider() {
    return new TrhgProvider();
  }

  @Override
  protected Map<String, String> options(int steps) {
    return Map.of(TrhgProvider.TRUNCATION, Integer.toString(steps));
  }
}
