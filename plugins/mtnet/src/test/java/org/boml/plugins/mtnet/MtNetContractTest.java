package org.boml.plugins.mtnet;

import org.boml.api.IterationModuleProvider;
import org.boml.testkit.contract.DynamicsContract;

/**
 * mtnet's steps can be differentiated through: the test kit's dynamics contract, with the mask
 * logits held fixed (their gradient is a straight-through estimate).
 */
class MtNetContractTest extends DynamicsContract {
  @Override
  protected IterationModuleProvider provider() {
    return new MtNetProvider();
  }

  @Override
  protected boolean estimated(String name) {
    return name.startsWith(Transforms.ZETA);
  }
}
