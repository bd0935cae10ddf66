package org.boml.api;

import java.util.List;
import java.util.Objects;

/**
 * One layer of a {@link Model} at which a {@link LayerHook} may intervene: a linear map (a dense
 * layer or a convolution) whose output has {@code units} features, on dimension 1 of the activation
 * ({@code (N, units)} or {@code (N, units, H, W)}).
 *
 * <p>{@link #parameters()} are the model parameters whose first dimension indexes those {@code
 * units} output features (the layer's weight and bias, and the scale and shift of a batch
 * normalization that directly follows it), so that a method can act per output unit, e.g. MT-net's
 * masks {@code M}, which choose the rows of these parameters that the lower level updates.
 *
 * @param name the layer's unique name, e.g. {@code conv0}; the name hooks are called with
 * @param units the number of output features (channels of a convolution)
 * @param parameters the names of the parameters indexed by the output units on dimension 0
 * @param head whether this is the output layer (group {@link ParameterSpec#HEAD})
 */
public record LayerSpec(String name, long units, List<String> parameters, boolean head) {
  /**
   * Checks the components and copies the list.
   *
   * @param name see the record description
   * @param units see the record description
   * @param parameters see the record description
   * @param head see the record description
   */
  public LayerSpec {
    Objects.requireNonNull(name, "name");
    parameters = List.copyOf(parameters);
    if (units < 1) {
      throw new IllegalArgumentException("layer " + name + " must have units >= 1, got " + units);
    }
  }
}
