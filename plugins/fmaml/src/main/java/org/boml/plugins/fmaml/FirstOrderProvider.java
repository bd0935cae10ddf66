package org.boml.plugins.fmaml;

import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.Options;

/** Provides {@link FirstOrderHypergradient} as hypergradient module {@code fmaml}. */
public final class FirstOrderProvider implements HypergradientModuleProvider {
  @Override
  public String name() {
    return "fmaml";
  }

  @Override
  public String description() {
    return "first-order MAML: the derivatives inside the lower-level steps are held constant"
        + " (stop-gradient on grad_y f); the dynamics' own meta-parameters are still learned";
  }

  @Override
  public HypergradientModule create(Options options) {
    return new FirstOrderHypergradient();
  }
}
