package org.boml.plugins.warpgrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.boml.api.LayerHook;
import org.boml.api.LayerSpec;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * WarpGrad's warp layers {@code omega}: after every adapted layer {@code l} of {@link
 * Model#layers()} except the output layer, with {@code u} output units, a linear warp layer {@code
 * warpgrad.warp/<l>} maps the layer's output {@code a} to {@code omega_l * a}: a {@code k x k}
 * convolution ({@code u -> u} channels, padding {@code (k - 1) / 2}, {@code k} odd; 3 by default)
 * after a convolution, or a {@code u x u} matrix after a dense layer. Each starts as the identity
 * (centre tap 1 on the channel diagonal), so the warped network starts as the task network. They
 * are meta-parameters only, never adapted: the lower level's gradients with respect to the task
 * layers pass through them backwards, which is the warping of gradient descent the paper describes.
 */
final class WarpLayers implements ModelExtension {
  /** The name prefix of the warp layers. */
  static final String PREFIX = "warpgrad.warp/";

  private final int kernel;

  /**
   * Warp layers with a kernel size for convolutions.
   *
   * @param kernel the odd kernel size {@code k >= 1}
   */
  WarpLayers(int kernel) {
    if (kernel < 1 || kernel % 2 == 0) {
      throw new IllegalArgumentException("the warp kernel must be odd and >= 1, got " + kernel);
    }
    this.kernel = kernel;
  }

  @Override
  public List<ParameterSpec> parameters(Model model, Set<String> adapted) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    model.parameterSpecs().forEach(p -> shapes.put(p.name(), p.shape()));
    List<ParameterSpec> specs = new ArrayList<>();
    for (LayerSpec layer : model.layers()) {
      if (layer.head() || layer.parameters().stream().noneMatch(adapted::contains)) {
        continue;
      }
      long units = layer.units();
      boolean convolution = shapes.get(layer.parameters().get(0)).dimension() == 4;
      Shape shape = convolution ? new Shape(units, units, kernel, kernel) : new Shape(units, units);
      specs.add(new ParameterSpec(PREFIX + layer.name(), shape, "warpgrad.warp"));
    }
    if (specs.isEmpty()) {
      throw new IllegalArgumentException(
          "WarpGrad puts warp layers after the adapted layers below the output layer, but the"
              + " model has none ("
              + (model.layers().isEmpty()
                  ? "it lists no layers, Model.layers()"
                  : "only the head is adapted; use the meta-init family")
              + ")");
    }
    return specs;
  }

  @Override
  public Variables initialize(
      List<ParameterSpec> parameters, NDManager manager, DataType dataType, long seed) {
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterSpec spec : parameters) {
      Shape shape = spec.shape();
      int units = Math.toIntExact(shape.get(0));
      int taps = Math.toIntExact(shape.size() / ((long) units * units));
      int centre = taps / 2;
      double[] identity = new double[Math.toIntExact(shape.size())];
      for (int i = 0; i < units; i++) {
        identity[(i * units + i) * taps + centre] = 1;
      }
      try (NDArray javaBacked = manager.create(identity, shape)) {
        values.put(spec.name(), javaBacked.toType(dataType, false).duplicate());
      }
    }
    return Variables.of(values);
  }

  /** Applies the warp layer of every warped layer to its output. */
  @Override
  public LayerHook hook(Variables params, boolean training) {
    return (layer, activation) -> {
      String name = PREFIX + layer;
      if (!params.contains(name)) {
        return activation;
      }
      NDArray warp = params.get(name);
      if (warp.getShape().dimension() == 2) {
        return Linear.linear(activation, warp).singletonOrThrow();
      }
      Shape one = new Shape(1, 1);
      long pad = (warp.getShape().get(2) - 1) / 2;
      return Conv2d.conv2d(activation, warp, null, one, new Shape(pad, pad), one, 1)
          .singletonOrThrow();
    };
  }
}
