package org.boml.plugins.fmaml;

import java.util.Set;
import org.boml.api.Capabilities;
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

  /**
   * Nothing of the dynamics; of the problem, that every meta-parameter reaches {@code F} or {@code
   * y_0} ({@link Capabilities#X_BEYOND_LOWER_OBJECTIVE}): {@code grad_y f} is held constant, so a
   * meta-parameter that enters only {@code f} would get a hypergradient of exactly zero. Both
   * families of the meta-training loop have it.
   */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(Capabilities.X_BEYOND_LOWER_OBJECTIVE);
  }

  @Override
  public HypergradientModule create(Options options) {
    return new FirstOrderHypergradient();
  }
}
