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
    return "first-order MAML: the lower-level steps' Jacobians are taken as the identity";
  }

  @Override
  public HypergradientModule create(Options options) {
    return new FirstOrderHypergradient();
  }
}
