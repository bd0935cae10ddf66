package org.boml.plugins.rhg;

import java.util.Map;
import org.boml.api.HypergradientModuleProvider;
import org.boml.testkit.contract.HypergradientModuleContract;
import org.junit.jupiter.api.Nested;

/** rhg is exact with either strategy: the test kit's hypergradient contract, once per strategy. */
class RhgContractTest {
  @Nested
  class Graph extends HypergradientModuleContract {
    @Override
    protected HypergradientModuleProvider provider() {
      return new RhgProvider();
    }

    @Override
    protected Map<String, String> options(int steps) {
      return Map.of(RhgProvider.STRATEGY, "graph");
    }
  }

  @Nested
  class Replay extends HypergradientModuleContract {
    @Override
    protected HypergradientModuleProvider provider() {
      return new RhgProvider();
    }

    @Override
    protected Map<String, String> options(int steps) {
      return Map.of(RhgProvider.STRATEGY, "replay");
    }
  }
}
