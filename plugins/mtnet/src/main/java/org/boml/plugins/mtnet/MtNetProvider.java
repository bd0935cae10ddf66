package org.boml.plugins.mtnet;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/**
 * Provides {@link MaskedDescent} as iteration module {@code mtnet}, with the transformations and
 * mask logits it adds to the meta-parameters ({@link Transforms}). {@code boml train --method
 * mtnet} differentiates through the trajectory with {@code rhg}.
 */
public final class MtNetProvider implements IterationModuleProvider {
  /** The option that sets the lower-level step size. */
  public static final String LEARNING_RATE = "lr";

  /** The option that turns the masks on (MT-net) or off (T-net). */
  public static final String MASKS = "masks";

  /** The option that sets the Gumbel-softmax temperature. */
  public static final String TEMPERATURE = "temperature";

  /** The option that sets the initial mask logit. */
  public static final String MASK_INIT = "mask-init";

  @Override
  public String name() {
    return "mtnet";
  }

  @Override
  public String description() {
    return "MT-net: meta-learned transforms T after each adapted layer and learned binary masks of"
        + " the units the inner loop updates (Lee and Choi 2018); masks=false is T-net";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(LEARNING_RATE, "0.01", "step size of every lower-level step"),
        new OptionSpec(
            MASKS, "true", "true: MT-net, with learned masks M; false: T-net (every unit updated)"),
        new OptionSpec(
            TEMPERATURE,
            "1.0",
            "temperature tau of the Gumbel-softmax relaxation whose gradient the masks' logits get"
                + " (straight-through estimator)"),
        new OptionSpec(
            MASK_INIT,
            "0.0",
            "initial logit zeta of every mask entry; P(unit updated) = sigmoid(zeta)"));
  }

  /**
   * The steps are exact differentiable maps of {@code x} and the state; the straight-through
   * estimate lies in {@code Psi_0} (the mask sample), whose derivative with respect to the mask
   * logits is the Gumbel-softmax one. With masks the state also holds the masks sampled from {@code
   * x}; T-net's steps are plain gradient descent, which reach {@code T} only through {@code f}.
   */
  @Override
  public Set<String> capabilities(Options options) {
    return masks(options)
        ? Set.of(Capabilities.DIFFERENTIABLE_STEPS)
        : Set.of(
            Capabilities.DIFFERENTIABLE_STEPS,
            Capabilities.GRADIENT_STEP,
            Capabilities.SINGLE_STATE,
            Capabilities.STATIONARY_LIMIT,
            Capabilities.STEPS_WITHOUT_META_PARAMETERS);
  }

  @Override
  public IterationModule create(Options options) {
    return new MaskedDescent(
        options.getDouble(LEARNING_RATE, v -> v > 0, "a positive number"),
        masks(options),
        options.getDouble(TEMPERATURE, v -> v > 0, "a positive number"));
  }

  /**
   * Adds {@code T} (and with masks the logits {@code zeta}) of every adapted layer to {@code x}.
   */
  @Override
  public Optional<ModelExtension> modelExtension(Options options) {
    return Optional.of(
        new Transforms(
            masks(options), options.getDouble(MASK_INIT, Double::isFinite, "a finite number")));
  }

  private static boolean masks(Options options) {
    return Boolean.parseBoolean(options.getChoice(MASKS, Set.of("true", "false")));
  }
}
