package org.boml.api;

import ai.djl.ndarray.NDArray;

/**
 * Intervenes in a {@link Model}'s forward pass: the model calls {@link #afterLayer} with the output
 * {@code a = W h (+ b)} of every layer it lists in {@link Model#layers()}, in forward order and
 * before anything else (batch normalization, activation, pooling) touches it, and continues with
 * the returned array, so the network computes {@code ... -> W h -> hook(a) -> norm -> activation ->
 * ...}.
 *
 * <p>A hook must return an array of the activation's shape made with differentiable operations only
 * (the rules of {@link Model} apply). MT-net applies its transformation {@code T a} here, WarpGrad
 * its warp layers.
 */
@FunctionalInterface
public interface LayerHook {
  /** The hook that changes nothing. */
  LayerHook IDENTITY = (layer, activation) -> activation;

  /**
   * Transforms the output of one layer.
   *
   * @param layer the layer's {@link LayerSpec#name()}
   * @param activation its output, batch dimension first, features on dimension 1
   * @return the array the forward pass continues with, of the same shape
   */
  NDArray afterLayer(String layer, NDArray activation);
}
