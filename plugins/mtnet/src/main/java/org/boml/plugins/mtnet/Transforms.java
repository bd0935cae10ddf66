package org.boml.plugins.mtnet;

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
 * MT-net's additions to the model. For every layer {@code l} of {@link Model#layers()} whose
 * parameters are adapted, with {@code u} output units:
 *
 * <ul>
 *   <li>{@code mtnet.T/<l>}, a {@code u x u} matrix that starts as the identity and is applied to
 *       the layer's output, {@code a -> T a} (on the channel dimension of a convolution, i.e. a 1x1
 *       convolution); it is meta-learned and never adapted, so the lower level descends {@code f}
 *       in the metric that {@code T} induces on the layer's weights;
 *   <li>with masks, {@code mtnet.zeta/<l>}, {@code u} logits of the probability that a unit's row
 *       of the layer's weight and bias is updated by the lower level ({@link MaskedDescent}).
 * </ul>
 */
final class Transforms implements ModelExtension {
  /** The name prefix of the transformations. */
  static final String T = "mtnet.T/";

  /** The name prefix of the mask logits. */
  static final String ZETA = "mtnet.zeta/";

  private final boolean masks;
  private final double maskInit;

  Transforms(boolean masks, double maskInit) {
    this.masks = masks;
    this.maskInit = maskInit;
  }

  @Override
  public List<ParameterSpec> parameters(Model model, Set<String> adapted) {
    if (model.layers().isEmpty()) {
      throw new IllegalArgumentException(
          "MT-net transforms the output of every adapted layer, but the model lists no layers"
              + " (Model.layers()); use mlp, convnet or resnet");
    }
    List<ParameterSpec> specs = new ArrayList<>();
    for (LayerSpec layer : model.layers()) {
      if (layer.parameters().stream().noneMatch(adapted::contains)) {
        continue;
      }
      long units = layer.units();
      specs.add(new ParameterSpec(T + layer.name(), new Shape(units, units), "mtnet.transform"));
      if (masks) {
        specs.add(new ParameterSpec(ZETA + layer.name(), new Shape(units), "mtnet.mask-logits"));
      }
    }
    if (specs.isEmpty()) {
      throw new IllegalArgumentException(
          "MT-net needs at least one adapted layer, but no layer of the model is adapted");
    }
    return specs;
  }

  @Override
  public Variables initialize(
      List<ParameterSpec> parameters, NDManager manager, DataType dataType, long seed) {
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterSpec spec : parameters) {
      if (spec.name().startsWith(T)) {
        values.put(
            spec.name(), manager.eye(Math.toIntExact(spec.shape().get(0))).toType(dataType, false));
      } else {
        try (NDArray value = manager.create(maskInit);
            NDArray typed = value.toType(dataType, false);
            NDArray ones = manager.ones(spec.shape(), dataType)) {
          values.put(spec.name(), ones.mul(typed));
        }
      }
    }
    return Variables.of(values);
  }

  /** Applies {@code T} of every transformed layer: {@code a -> T a} on dimension 1. */
  @Override
  public LayerHook hook(Variables params, boolean training) {
    return (layer, activation) -> {
      String name = T + layer;
      return params.contains(name) ? transform(activation, params.get(name)) : activation;
    };
  }

  private static NDArray transform(NDArray activation, NDArray matrix) {
    if (activation.getShape().dimension() == 2) {
      return Linear.linear(activation, matrix).singletonOrThrow();
    }
    long units = matrix.getShape().get(0);
    Shape one = new Shape(1, 1);
    return Conv2d.conv2d(
            activation, matrix.reshape(units, units, 1, 1), null, one, new Shape(0, 0), one, 1)
        .singletonOrThrow();
  }
}
