package org.boml.plugins.fhg;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link ForwardHypergradient} as hypergradient module {@code fhg}. */
public final class FhgProvider implements HypergradientModuleProvider {
  /** The option that caps the number of scalar components of {@code x}, one tangent each. */
  public static final String MAX_HYPERPARAMETERS = "max-hyperparameters";

  /** The option that selects the real-time variant. */
  public static final String ONLINE = "online";

  @Override
  public String name() {
    return "fhg";
  }

  @Override
  public String description() {
    return "forward-mode hypergradient for a few scalar hyperparameters: tangents dy_t/dx carried"
        + " with the steps (Franceschi et al. 2017)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            MAX_HYPERPARAMETERS,
            "16",
            "the most scalar components x may have; each costs one tangent of the size of y and one"
                + " Jacobian-vector product per step"),
        new OptionSpec(
            ONLINE,
            "false",
            "true: the hypergradient of the mean of F(x, y_t) over t = 1..T, accumulated at every"
                + " step (real-time variant); false: of F(x, y_T)"));
  }

  /** The tangents are propagated through Jacobian-vector products of the steps. */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(Capabilities.DIFFERENTIABLE_STEPS);
  }

  @Override
  public HypergradientModule create(Options options) {
    return new ForwardHypergradient(
        options.getInt(MAX_HYPERPARAMETERS, 1),
        Boolean.parseBoolean(options.getChoice(ONLINE, Set.of("true", "false"))));
  }
}
