package org.boml.plugins.metasgd;

import org.boml.api.IterationModuleProvider;
import org.boml.testkit.contract.DynamicsContract;

/** metasgd's steps can be differentiated through: the test kit's dynamics contract. */
class MetaSgdContractTest extends DynamicsContract {
  @Override
  protected IterationModuleProvider provider() {
    return new MetaSgdProvider();
  }
}
