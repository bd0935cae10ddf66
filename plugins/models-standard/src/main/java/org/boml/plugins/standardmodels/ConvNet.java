package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
 *
 * <p>libtorch's native convolution unfolds its whole input batch at once (im2col: one column of
 * {@code channels x 3 x 3} values per output pixel of every image) for the forward pass and again
 * for each gradient. For 75 Omniglot images in the second block that buffer is 34 MB, more than the
 * block's activations. A batch whose buffer would exceed {@code im2colBytes} is therefore convolved
 * in equal parts along the batch, each under the limit, and the parts' outputs are joined: the same
 * values and derivatives (the parts share the weights; the batch normalization that follows sees
 * the joined batch), with less memory at the peak of a query pass (docs/performance.md, "One upper
 * pass at a time, and convolutions in parts").
 */
public final class ConvNet extends LayeredModel {
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);

  /** The default limit of one convolution call's im2col buffer: 12 MiB. */
  public static final long DEFAULT_IM2COL_BYTES = 12L << 20;

  private final int blocks;
  private final boolean stride2;
  private final long im2colBytes;

  /**
   * A convolutional network whose convolutions build im2col buffers of at most {@link
   * #DEFAULT_IM2COL_BYTES}.
   *
   * @param inputShape {@code (channels, height, width)}
   * @param blocks the number of convolution blocks
   * @param filters the channels of every block
   * @param stride2 true for stride-2 convolutions instead of max-pooling
   * @param outputs the number of classes
   */
  public ConvNet(Shape inputShape, int blocks, int filters, boolean stride2, int outputs) {
    this(inputShape, blocks, filters, stride2, outputs, DEFAULT_IM2COL_BYTES);
  }

  /**
   * A convolutional network.
   *
   * @param inputShape {@code (channels, height, width)}
   * @param blocks the number of convolution blocks
   * @param filters the channels of every block
   * @param stride2 true for stride-2 convolutions instead of max-pooling
   * @param outputs the number of classes
   * @param im2colBytes the largest im2col buffer one convolution call may build, in bytes; a batch
   *     that needs more is convolved in parts (0: whole batches)
   */
  public ConvNet(
      Shape inputShape, int blocks, int filters, boolean stride2, int outputs, long im2colBytes) {
    if (im2colBytes < 0) {
      throw new IllegalArgumentException("im2colBytes must be >= 0, got " + im2colBytes);
    }
    if (inputShape.dimension() != 3) {
      throw new IllegalArgumentException(
          "ConvNet needs inputs (channels, height, width), got " + inputShape);
    }
    this.blocks = blocks;
    this.stride2 = stride2;
    this.im2colBytes = im2colBytes;
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
          convolve(
              hidden, params.get("conv" + b + ".weight"), params.get("conv" + b + ".bias"), stride);
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

  /** A 3x3 convolution with padding 1, in as many equal parts as the im2col limit asks for. */
  private NDArray convolve(NDArray input, NDArray weight, NDArray bias, Shape stride) {
    long parts = parts(input.getShape(), stride, input.getDataType().getNumOfBytes(), im2colBytes);
    if (parts == 1) {
      return convolveWhole(input, weight, bias, stride);
    }
    long batch = input.getShape().get(0);
    long[] starts = new long[(int) parts - 1];
    for (int i = 1; i < parts; i++) {
      starts[i - 1] = i * batch / parts;
    }
    try (NDList pieces = input.split(starts, 0);
        NDList outputs = new NDList()) {
      for (NDArray piece : pieces) {
        outputs.add(convolveWhole(piece, weight, bias, stride));
      }
      // The parts' outputs are closed with the list: the join's backward pass needs only their
      // sizes, and each convolution's backward pass its input and weight.
      return NDArrays.concat(outputs, 0);
    }
  }

  private static NDArray convolveWhole(NDArray input, NDArray weight, NDArray bias, Shape stride) {
    return Conv2d.conv2d(input, weight, bias, stride, ONE, ONE, 1).singletonOrThrow();
  }

  /**
   * How many equal parts a 3x3 convolution with padding 1 convolves a batch in: the fewest whose
   * im2col buffers stay within the limit, and at most one per image.
   *
   * @param input the input's shape {@code (batch, channels, height, width)}
   * @param stride the stride
   * @param bytesPerValue the size of one value
   * @param im2colBytes the limit of one part's im2col buffer, 0 for none
   * @return the number of parts, 1 for the whole batch at once
   */
  public static long parts(Shape input, Shape stride, int bytesPerValue, long im2colBytes) {
    if (im2colBytes == 0) {
      return 1;
    }
    long outHeight = (input.get(2) - 1) / stride.get(0) + 1;
    long outWidth = (input.get(3) - 1) / stride.get(1) + 1;
    long perImage = input.get(1) * 9 * outHeight * outWidth * bytesPerValue;
    long batch = input.get(0);
    return Math.max(1, Math.min(batch, (batch * perImage + im2colBytes - 1) / im2colBytes));
  }
}
