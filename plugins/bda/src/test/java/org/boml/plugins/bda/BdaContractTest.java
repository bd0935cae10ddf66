package org.boml.plugins.bda;

import org.boml.api.IterationModuleProvider;
import org.boml.testkit.contract.DynamicsContract;

/** bda's steps can be differentiated through: the test kit's dynamics contract. */
class BdaContractTest extends DynamicsContract {
  @Override
  protected IterationModuleProvider provider() {
    return new BdaProvider();
  }
}
