package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.LayerHook;
import org.boml.api.LayerSpec;
import org.boml.api.Model;
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
 * its statistics less accurately on some hosts (docs/reliability.md, "Host numerics").
 */
public final class ConvNet implements Model {
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);
  private static final float BN_EPSILON = 1e-5f;

  private final int blocks;
  private final int filters;
  private final boolean stride2;
  private final List<ParameterSpec> specs;
  private final List<LayerSpec> layers;

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
    this.filters = filters;
    this.stride2 = stride2;
    List<ParameterSpec> list = new ArrayList<>();
    List<LayerSpec> layerList = new ArrayList<>();
    long channels = inputShape.get(0);
    long height = inputShape.get(1);
    long width = inputShape.get(2);
    for (int b = 0; b < blocks; b++) {
      list.add(
          new ParameterSpec(
              "conv" + b + ".weight", new Shape(filters, channels, 3, 3), ParameterSpec.FEATURES));
      list.add(new ParameterSpec("conv" + b + ".bias", new Shape(filters), ParameterSpec.FEATURES));
      list.add(new ParameterSpec("bn" + b + ".gamma", new Shape(filters), ParameterSpec.FEATURES));
      list.add(new ParameterSpec("bn" + b + ".beta", new Shape(filters), ParameterSpec.FEATURES));
      layerList.add(
          new LayerSpec(
              "conv" + b,
              filters,
              List.of(
                  "conv" + b + ".weight",
                  "conv" + b + ".bias",
                  "bn" + b + ".gamma",
                  "bn" + b + ".beta"),
              false));
      channels = filters;
      height = stride2 ? (height + 1) / 2 : height / 2;
      width = stride2 ? (width + 1) / 2 : width / 2;
    }
    long features = channels * height * width;
    if (features < 1) {
      throw new IllegalArgumentException(
          "inputs " + inputShape + " are too small for " + blocks + " blocks");
    }
    list.add(new ParameterSpec("head.weight", new Shape(outputs, features), ParameterSpec.HEAD));
    list.add(new ParameterSpec("head.bias", new Shape(outputs), ParameterSpec.HEAD));
    layerList.add(new LayerSpec("head", outputs, List.of("head.weight", "head.bias"), true));
    this.specs = List.copyOf(list);
    this.layers = List.copyOf(layerList);
  }

  @Override
  public List<ParameterSpec> parameterSpecs() {
    return specs;
  }

  @Override
  public Variables initialize(NDManager manager, DataType dataType, long seed) {
    return Initializers.pytorchDefault(specs, manager, dataType, seed);
  }

  /**
   * The convolutions {@code conv<b>} (hooked before their batch normalization) and the output layer
   * {@code head}.
   */
  @Override
  public List<LayerSpec> layers() {
    return layers;
  }

  @Override
  public NDArray forward(Variables params, NDArray input, boolean training) {
    return forward(params, input, training, LayerHook.IDENTITY);
  }

  @Override
  public NDArray forward(Variables params, NDArray input, boolean training, LayerHook hook) {
    NDArray hidden = input;
    NDManager manager = input.getManager();
    Shape channelShape = new Shape(filters);
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
      // Batch statistics of the current batch; the running-stat arrays are required by DJL's
      // functional batch norm but never read in training mode.
      NDArray runningMean = manager.zeros(channelShape, hidden.getDataType());
      NDArray runningVar = manager.ones(channelShape, hidden.getDataType());
      hidden =
          BatchNorm.batchNorm(
                  hidden,
                  runningMean,
                  runningVar,
                  params.get("bn" + b + ".gamma"),
                  params.get("bn" + b + ".beta"),
                  -1,
                  0.9f,
                  BN_EPSILON,
                  true)
              .singletonOrThrow();
      if (stride2) {
        hidden = Activation.relu(hidden);
      } else {
        // Max-pool, then ReLU: equal to ReLU, then max-pool, in values and in every derivative
        // (ReLU is monotone, so it commutes with the maximum), with the ReLU and its backward
        // passes on a four times smaller array.
        hidden = Activation.relu(Pool.maxPool2d(hidden, TWO, TWO, NO_PADDING, false));
      }
    }
    hidden = hidden.reshape(hidden.getShape().get(0), -1);
    return hook.afterLayer(
        "head",
        Linear.linear(hidden, params.get("head.weight"), params.get("head.bias"))
            .singletonOrThrow());
  }
}
