package org.boml.plugins.trhg;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link TruncatedReverseHypergradient} as hypergradient module {@code trhg}. */
public final class TrhgProvider implements HypergradientModuleProvider {
  /** The option that sets the number of steps back-propagated through, {@code K}. */
  public static final String TRUNCATION = "truncation";

  @Override
  public String name() {
    return "trhg";
  }

  @Override
  public String description() {
    return "truncated reverse-mode hypergradient through the last K lower-level steps";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            TRUNCATION,
            "5",
            "K, the number of last lower-level steps back-propagated through (K >= T gives rhg)"));
  }

  /** Back-propagates through the last K steps, so the steps must be differentiable. */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(Capabilities.DIFFERENTIABLE_STEPS);
  }

  @Override
  public HypergradientModule create(Options options) {
    return new TruncatedReverseHypergradient(options.getInt(TRUNCATION, 1));
  }
}
