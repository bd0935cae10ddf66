package org.boml.runtime.bench;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.boml.api.ParameterSpec;

/**
 * The analytic FLOP count of the reference workload, defined as the PyTorch peer defines it ({@code
 * peer_common.analytic_flops}): only convolutions and the linear head count, a multiply-add is 2
 * FLOPs, and with {@code F(n)} the forward cost of {@code n} images one task costs
 *
 * <ul>
 *   <li>second order: {@code 9 T F(S) + 3 F(Q)} (each inner step's forward and backward, 3 F(S),
 *       plus back-propagation through that forward, 2 F(S), and through its backward, 4 F(S));
 *   <li>first order: {@code 3 T F(S) + 3 F(Q)};
 * </ul>
 *
 * where {@code S} and {@code Q} are the support and query sizes and {@code 3 F(Q)} is the query
 * forward and backward. The peer's aten-level counter ({@code maml_torch.py --mode flops}) agrees
 * with this within 2%.
 */
public final class FlopCount {
  private FlopCount() {}

  /**
   * The forward FLOPs of one image through a Conv-4 style network with 3x3 convolutions (padding 1,
   * stride 1), each followed by a 2x2 max-pool (floor), then a linear head.
   *
   * @param inputShape {@code (channels, height, width)}
   * @param specs the network's parameters; convolution weights {@code (out, in, kh, kw)} named
   *     {@code conv<b>.weight}, the head's weight {@code (outputs, features)} named {@code
   *     head.weight}
   * @return FLOPs per image
   */
  public static long forwardPerImage(Shape inputShape, List<ParameterSpec> specs) {
    long height = inputShape.get(1);
    long width = inputShape.get(2);
    long flops = 0;
    boolean head = false;
    for (ParameterSpec spec : specs) {
      Shape shape = spec.shape();
      if (spec.name().matches("conv\\d+\\.weight")) {
        long macsPerPixel = shape.get(0) * shape.get(1) * shape.get(2) * shape.get(3);
        flops += 2 * macsPerPixel * height * width;
        height /= 2;
        width /= 2;
      } else if (spec.name().equals("head.weight")) {
        flops += 2 * shape.get(0) * shape.get(1);
        head = true;
      }
    }
    if (!head) {
      throw new IllegalArgumentException("the network has no head.weight: not a Conv-4 network");
    }
    return flops;
  }

  /**
   * The FLOPs of one meta-iteration of MAML.
   *
   * @param perImage the forward FLOPs of one image
   * @param support support images per task
   * @param query query images per task
   * @param steps inner steps {@code T}
   * @param secondOrder second-order (true) or first-order MAML
   * @param tasks tasks per meta-iteration
   * @return FLOPs
   */
  public static long metaIteration(
      long perImage, int support, int query, int steps, boolean secondOrder, int tasks) {
    long perTask = (secondOrder ? 9L : 3L) * steps * perImage * support + 3L * perImage * query;
    return perTask * tasks;
  }
}
