package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import org.boml.api.LayerHook;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * BOML's residual backbone ("V2" network) as a pure function of its parameters.
 *
 * <p>Block {@code b} of width {@code w} maps {@code x} to {@code maxpool2x2(lrelu(main(x) +
 * skip(x)))} where
 *
 * <ul>
 *   <li>{@code main} is conv1, bn1, lrelu, conv2, bn2, lrelu, conv3, bn3 - three 3x3 convolutions
 *       (padding 1, stride 1) to {@code w} channels, each followed by batch normalization; leaky
 *       ReLU after the first two only, so the third batch norm's output goes into the sum
 *       unactivated;
 *   <li>{@code skip} is a 1x1 convolution to {@code w} channels followed by batch normalization
 *       (always present, also when the channel count does not change);
 *   <li>{@code lrelu} is leaky ReLU with negative slope 0.1, and the max-pool is 2x2 with stride 2
 *       and no padding (odd sizes round down).
 * </ul>
 *
 * After the last block, global average pooling gives one feature per channel and a linear head
 * gives the outputs. Convolutions have no bias: every one is followed by a batch normalization,
 * whose shift {@code beta} would cancel it. Batch normalization always uses the statistics of the
 * current batch (as {@link ConvNet}, the transductive setting of MAML), with epsilon 1e-5.
 *
 * <p>Parameters: {@code block<b>.conv<k>.weight} {@code (w, in, 3, 3)}, {@code
 * block<b>.bn<k>.gamma/beta} {@code (w)} for k = 1..3, {@code block<b>.skip.weight} {@code (w, in,
 * 1, 1)}, {@code block<b>.skip_bn.gamma/beta} {@code (w)}, all in group {@link
 * ParameterSpec#FEATURES}; {@code head.weight} {@code (outputs, last width)} and {@code head.bias}
 * in group {@link ParameterSpec#HEAD}. Initialization is PyTorch's default (see {@link
 * Initializers#pytorchDefault}).
 *
 * <p>Every operation is one libtorch call on the arrays of the graph: the leaky ReLU slope travels
 * to libtorch as a {@code double} argument (DJL's {@code Activation.leakyRelu} calls {@code
 * torch::nn::functional::leaky_relu} through JNI; no Java-backed scalar tensor is created), so the
 * forward pass is safe to differentiate to any order. Its hookable layers are every convolution,
 * {@code block<b>.conv<k>} and {@code block<b>.skip} (hooked before its batch normalization), and
 * the output layer {@code head}.
 */
public final class ResNet extends LayeredModel {
  /** The negative slope of the leaky ReLUs. */
  public static final float LEAKY_SLOPE = 0.1f;

  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);

  private final List<Integer> widths;

  /**
   * A residual network.
   *
   * @param inputShape {@code (channels, height, width)}
   * @param widths the channels of each block, e.g. {@code 64, 96, 128, 256}
   * @param outputs the number of classes
   * @throws IllegalArgumentException if the input is not an image, a width is not positive, or the
   *     input is too small for the number of blocks
   */
  public ResNet(Shape inputShape, List<Integer> widths, int outputs) {
    if (inputShape.dimension() != 3) {
      throw new IllegalArgumentException(
          "ResNet needs inputs (channels, height, width), got " + inputShape);
    }
    if (widths.isEmpty() || widths.stream().anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException(
          "ResNet needs at least one block of positive width, got " + widths);
    }
    this.widths = List.copyOf(widths);
    long channels = inputShape.get(0);
    long height = inputShape.get(1);
    long width = inputShape.get(2);
    for (int b = 0; b < widths.size(); b++) {
      long w = widths.get(b);
      String block = "block" + b + ".";
      for (int k = 1; k <= 3; k++) {
        long in = k == 1 ? channels : w;
        String conv = block + "conv" + k;
        String bn = block + "bn" + k;
        feature(conv + ".weight", new Shape(w, in, 3, 3));
        feature(bn + ".gamma", new Shape(w));
        feature(bn + ".beta", new Shape(w));
        hiddenLayer(conv, w, conv + ".weight", bn + ".gamma", bn + ".beta");
      }
      feature(block + "skip.weight", new Shape(w, channels, 1, 1));
      feature(block + "skip_bn.gamma", new Shape(w));
      feature(block + "skip_bn.beta", new Shape(w));
      hiddenLayer(
          block + "skip",
          w,
          block + "skip.weight",
          block + "skip_bn.gamma",
          block + "skip_bn.beta");
      channels = w;
      height /= 2;
      width /= 2;
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException(
            "inputs "
                + inputShape
                + " are too small for "
                + widths.size()
                + " blocks: each halves the height and width, and block "
                + b
                + " leaves nothing");
      }
    }
    linearHead(outputs, channels);
  }

  @Override
  public NDArray forward(Variables params, NDArray input, boolean training, LayerHook hook) {
    NDArray hidden = input;
    for (int b = 0; b < widths.size(); b++) {
      String block = "block" + b + ".";
      NDArray main = hidden;
      for (int k = 1; k <= 3; k++) {
        main =
            hook.afterLayer(
                block + "conv" + k,
                Conv2d.conv2d(
                        main, params.get(block + "conv" + k + ".weight"), null, ONE, ONE, ONE, 1)
                    .singletonOrThrow());
        main =
            batchNorm(
                main,
                params.get(block + "bn" + k + ".gamma"),
                params.get(block + "bn" + k + ".beta"));
        if (k < 3) {
          main = Activation.leakyRelu(main, LEAKY_SLOPE);
        }
      }
      NDArray skip =
          hook.afterLayer(
              block + "skip",
              Conv2d.conv2d(
                      hidden, params.get(block + "skip.weight"), null, ONE, NO_PADDING, ONE, 1)
                  .singletonOrThrow());
      skip =
          batchNorm(skip, params.get(block + "skip_bn.gamma"), params.get(block + "skip_bn.beta"));
      hidden = Activation.leakyRelu(main.add(skip), LEAKY_SLOPE);
      hidden = Pool.maxPool2d(hidden, TWO, TWO, NO_PADDING, false);
    }
    return head(params, Pool.globalAvgPool2d(hidden), hook);
  }
}
