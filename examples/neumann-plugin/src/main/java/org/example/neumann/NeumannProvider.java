package org.example.neumann;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/**
 * Provides {@link NeumannHypergradient} as hypergradient module {@code neumann}.
 *
 * <p>{@link #version()} and {@link #apiVersion()} are not overridden: they come from the module
 * descriptor, which records them because the module is compiled with {@code --module-version}.
 */
public final class NeumannProvider implements HypergradientModuleProvider {
  /** The option that sets the number {@code K} of Neumann terms after the first. */
  public static final String TERMS = "terms";

  /** The option that sets the step {@code alpha} of the Neumann series. */
  public static final String ALPHA = "alpha";

  @Override
  public String name() {
    return "neumann";
  }

  @Override
  public String description() {
    return "implicit hypergradient at y_T with a truncated Neumann series for the inverse Hessian"
        + " (Lorraine et al. 2020)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            TERMS,
            "20",
            "K: Hessian-vector products in the series H^-1 ~ alpha sum_{k=0..K} (I - alpha H)^k"),
        new OptionSpec(
            ALPHA,
            "0.1",
            "alpha > 0: the series converges when alpha times the largest eigenvalue of H is < 2"));
  }

  /**
   * Like every implicit method it treats {@code y_T} as a stationary point of {@code f}, so the
   * dynamics must converge to one, and it ignores {@code Psi_0}, so {@code x} must enter {@code f}
   * (the meta-feature family); the runtime refuses other combinations before training.
   */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(Capabilities.STATIONARY_LIMIT, Capabilities.X_IN_LOWER_OBJECTIVE);
  }

  /** The Hessian is taken at {@code y_T} with the objective of the last step, which needs one. */
  @Override
  public int minimumSteps(Options options) {
    return 1;
  }

  @Override
  public HypergradientModule create(Options options) {
    return new NeumannHypergradient(
        options.getInt(TERMS, 0), options.getDouble(ALPHA, v -> v > 0, "a positive number"));
  }
}
