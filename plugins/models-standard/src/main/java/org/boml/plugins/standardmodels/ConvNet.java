package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import org.boml.api.LayerHook;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * The few-shot convolutional network ("Conv-4" with four blocks) as a pure function of its
 * parameters. Each block is a 3x3 convolution (padding 1), batch normalization with the statistics
 * of the current batch, ReLU, and either a 2x2 max-pool or, with {@code stride2}, a convolution of
 * stride 2 and no pool; a linear head follows. Blocks are group {@link ParameterSpec#FEATURES}, the
 * head is {@link ParameterSpec#HEAD}. Initialization follows PyTorch: weights and biases uniform on
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]}, batch-norm scale 1 and shift 0. Activations stay in
 * the usual contiguous layout: libtorch's float32 batch norm on channels-last arrays accumulates
 * its statistics less accurately on some hosts (docs/reliability.md, "Host numerics"). Its hookable
 * layers are the convolutions {@code conv<b>} (hooked before their batch normalization) and the
 * output layer {@code head}.
 */
public final class ConvNet extends LayeredModel {
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);

  private final int blocks;
  private final boolean stride2;

  /**
   * A convolutional network.
   *
   * @param inputShape {@code (channels, height, width)}
   * @param blocks the number of convolution blocks
   * @param filters the channels of every block
   * @param stride2 true for stride-2 convolutions instead of max-pooling
   * @param outputs the number of classes
   */
  public ConvNet(Shape inputShape, int blocks, int filters, boolean stride2, int outputs) {
    if (inputShape.dimension() != 3) {
      throw new IllegalArgumentException(
          "ConvNet needs inputs (channels, height, width), got " + inputShape);
    }
    this.blocks = blocks;
    this.stride2 = stride2;
    long channels = inputShape.get(0);
    long height = inputShape.get(1);
    long width = inputShape.get(2);
    for (int b = 0; b < blocks; b++) {
      String conv = "conv" + b;
      String bn = "bn" + b;
      feature(conv + ".weight", new Shape(filters, channels, 3, 3));
      feature(conv + ".bias", new Shape(filters));
      feature(bn + ".gamma", new Shape(filters));
      feature(bn + ".beta", new Shape(filters));
      hiddenLayer(conv, filters, conv + ".weight", conv + ".bias", bn + ".gamma", bn + ".beta");
      channels = filters;
      height = stride2 ? (height + 1) / 2 : height / 2;
      width = stride2 ? (width + 1) / 2 : width / 2;
    }
    long features = channels * height * width;
    if (features < 1) {
      throw new IllegalArgumentException(
          "inputs " + inputShape + " are too small for " + blocks + " blocks");
    }
    linearHead(outputs, features);
  }

  @Override
  public NDArray forward(Variables params, NDArray input, boolean training, LayerHook hook) {
    NDArray hidden = input;
    for (int b = 0; b < blocks; b++) {
      Shape stride = stride2 ? TWO : ONE;
      hidden =
          Conv2d.conv2d(
                  hidden,
                  params.get("conv" + b + ".weight"),
                  params.get("conv" + b + ".bias"),
                  stride,
                  ONE,
                  ONE,
                  1)
              .singletonOrThrow();
      hidden = hook.afterLayer("conv" + b, hidden);
      hidden = batchNorm(hidden, params.get("bn" + b + ".gamma"), params.get("bn" + b + ".beta"));
      if (stride2) {
        hidden = Activation.relu(hidden);
      } else {
        // Max-pool, then ReLU: equal to ReLU, then max-pool, in values and in every derivative
        // (ReLU is monotone, so it commutes with the maximum), with the ReLU and its backward
        // passes on a four times smaller array.
        hidden = Activation.relu(Pool.maxPool2d(hidden, TWO, TWO, NO_PADDING, false));
      }
    }
    return head(params, hidden.reshape(hidden.getShape().get(0), -1), hook);
  }
}
