package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.boml.api.LayerHook;
import org.boml.api.LayerSpec;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * What the standard models share: the lists of parameters and hookable layers, which a model's
 * constructor fills as it walks its layers and which never change afterwards; PyTorch's default
 * initialization of them ({@link Initializers}); the forward pass without a hook; the linear head
 * {@code head.weight/bias} (group {@link ParameterSpec#HEAD}, hooked as {@code head}); and batch
 * normalization with the statistics of the current batch.
 */
abstract class LayeredModel implements Model {
  /** The name of the output layer, and the prefix of its parameters. */
  static final String HEAD = "head";

  private static final float BN_EPSILON = 1e-5f;
  private static final float BN_MOMENTUM = 0.9f;

  private final List<ParameterSpec> specs = new ArrayList<>();
  private final List<LayerSpec> layers = new ArrayList<>();

  /**
   * Adds a parameter of group {@link ParameterSpec#FEATURES}.
   *
   * @param name its name
   * @param shape its shape
   */
  final void feature(String name, Shape shape) {
    specs.add(new ParameterSpec(name, shape, ParameterSpec.FEATURES));
  }

  /**
   * Adds a hidden layer that a {@link LayerHook} may act on.
   *
   * @param name the layer's name
   * @param width its output units or channels
   * @param parameters the names of its parameters
   */
  final void hiddenLayer(String name, long width, String... parameters) {
    layers.add(new LayerSpec(name, width, List.of(parameters), false));
  }

  /**
   * Adds the linear head: {@code head.weight (outputs, features)} and {@code head.bias (outputs)}.
   *
   * @param outputs the outputs
   * @param features the features it reads
   */
  final void linearHead(int outputs, long features) {
    specs.add(
        new ParameterSpec(HEAD + ".weight", new Shape(outputs, features), ParameterSpec.HEAD));
    specs.add(new ParameterSpec(HEAD + ".bias", new Shape(outputs), ParameterSpec.HEAD));
    layers.add(new LayerSpec(HEAD, outputs, List.of(HEAD + ".weight", HEAD + ".bias"), true));
  }

  @Override
  public final List<ParameterSpec> parameterSpecs() {
    return Collections.unmodifiableList(specs);
  }

  @Override
  public final Variables initialize(NDManager manager, DataType dataType, long seed) {
    return Initializers.pytorchDefault(specs, manager, dataType, seed);
  }

  @Override
  public final List<LayerSpec> layers() {
    return Collections.unmodifiableList(layers);
  }

  @Override
  public final NDArray forward(Variables params, NDArray input, boolean training) {
    return forward(params, input, training, LayerHook.IDENTITY);
  }

  /**
   * The head applied to features {@code (batch, features)}, then the hook's {@code head}.
   *
   * @param params the parameters
   * @param features the features
   * @param hook the hook
   * @return the outputs
   */
  static NDArray head(Variables params, NDArray features, LayerHook hook) {
    return hook.afterLayer(
        HEAD,
        Linear.linear(features, params.get(HEAD + ".weight"), params.get(HEAD + ".bias"))
            .singletonOrThrow());
  }

  /**
   * Batch normalization over (N, H, W) with the current batch's statistics and epsilon 1e-5. DJL's
   * functional batch norm requires running-statistics arrays; in training mode they are never read.
   *
   * @param x {@code (N, C, H, W)}
   * @param gamma the scale, {@code (C)}
   * @param beta the shift, {@code (C)}
   * @return the normalized array
   */
  static NDArray batchNorm(NDArray x, NDArray gamma, NDArray beta) {
    NDManager manager = x.getManager();
    Shape channels = new Shape(x.getShape().get(1));
    NDArray runningMean = manager.zeros(channels, x.getDataType());
    NDArray runningVar = manager.ones(channels, x.getDataType());
    return BatchNorm.batchNorm(
            x, runningMean, runningVar, gamma, beta, -1, BN_MOMENTUM, BN_EPSILON, true)
        .singletonOrThrow();
  }
}
