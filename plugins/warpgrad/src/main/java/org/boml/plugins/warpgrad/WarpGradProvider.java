package org.boml.plugins.warpgrad;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/**
 * Provides {@link WarpGradHypergradient} as hypergradient module {@code warpgrad}, with the warp
 * layers it adds to the meta-parameters ({@link WarpLayers}).
 */
public final class WarpGradProvider implements HypergradientModuleProvider {
  /** The option that selects the initialization's meta-objective. */
  public static final String INIT = "init";

  /** The option that sets the kernel size of the warp convolutions. */
  public static final String KERNEL = "kernel";

  /** The option that weights the trajectory points in the warp objective. */
  public static final String WEIGHTING = "weighting";

  @Override
  public String name() {
    return "warpgrad";
  }

  @Override
  public String description() {
    return "WarpGrad: meta-learned warp layers between the task layers, trained on one-step"
        + " objectives at the points of the task trajectories (Flennerhag et al. 2020)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            INIT,
            "leap",
            "the initialization's meta-gradient: leap (the simplified Leap objective of the"
                + " authors' code: the sum of the trajectory's unit segments y_t - y_{t+1}) or"
                + " none (the initialization stays fixed)"),
        new OptionSpec(
            WEIGHTING,
            "uniform",
            "weights w_t of the trajectory points t = 0..T-1 in the warp objective: uniform (1/T)"
                + " or increasing (proportional to t + 1, later points count more)"),
        new OptionSpec(
            KERNEL,
            "3",
            "odd kernel size k of the k x k warp convolutions after convolutional layers (1: a"
                + " channel mixing, much cheaper after a full-resolution first layer)"));
  }

  /**
   * Steps it can differentiate once with respect to the warp layers (each point's one-step
   * objective), on a state of model parameters only (the trajectory points are task parameters), in
   * a problem that adapts the layers below the output layer (the warp layers follow them).
   */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(
        Capabilities.DIFFERENTIABLE_STEPS,
        Capabilities.SINGLE_STATE,
        Capabilities.ADAPTED_FEATURES);
  }

  /** The objective is a sum over the points where a step is taken, so it needs one. */
  @Override
  public int minimumSteps(Options options) {
    return 1;
  }

  @Override
  public HypergradientModule create(Options options) {
    return new WarpGradHypergradient(
        WarpGradHypergradient.Init.valueOf(
            options.getChoice(INIT, Set.of("leap", "none")).toUpperCase(Locale.ROOT)),
        WarpGradHypergradient.Weighting.valueOf(
            options
                .getChoice(WEIGHTING, Set.of("uniform", "increasing"))
                .toUpperCase(Locale.ROOT)));
  }

  /** Adds a warp layer after every adapted layer but the output layer. */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    int kernel = options.getInt(KERNEL, 1);
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException(
          "Option 'kernel' of hypergradient 'warpgrad' is " + kernel + " but must be odd");
    }
    return Optional.of(new WarpLayers(kernel));
  }
}
