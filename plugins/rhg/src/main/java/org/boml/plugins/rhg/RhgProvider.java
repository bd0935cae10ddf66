package org.boml.plugins.rhg;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link ReverseHypergradient} as hypergradient module {@code rhg}. */
public final class RhgProvider implements HypergradientModuleProvider {
  /** The option that selects the reverse-pass strategy. */
  public static final String STRATEGY = "strategy";

  @Override
  public String name() {
    return "rhg";
  }

  @Override
  public String description() {
    return "reverse-mode hypergradient through the whole trajectory (second-order MAML)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            STRATEGY,
            "graph",
            "graph: back-propagate through the stored graph of all steps; replay: keep only the"
                + " iterates and recompute each step in the reverse pass (less memory)"));
  }

  /** Back-propagates through every step, so the steps must be differentiable. */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(Capabilities.DIFFERENTIABLE_STEPS);
  }

  @Override
  public HypergradientModule create(Options options) {
    String strategy = options.getChoice(STRATEGY, Set.of("graph", "replay"));
    return new ReverseHypergradient(
        ReverseHypergradient.Strategy.valueOf(strategy.toUpperCase(Locale.ROOT)));
  }
}
