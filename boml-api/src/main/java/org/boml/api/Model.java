package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * A functional model: {@code prediction = forward(params, input)}.
 *
 * <p>The model holds no weights. Parameters are passed in on every call, so a method can pass
 * adapted, non-leaf weights {@code y_t} and differentiate through them. Implementations must only
 * use differentiable array operations on the parameters, must not keep references to them, and must
 * never use the {@code Number} overloads of {@link NDArray} arithmetic on arrays of a graph (they
 * leave a dangling scalar in the autograd graph).
 */
public interface Model {
  /**
   * The parameters the model expects, in a fixed order.
   *
   * @return the parameter specifications
   */
  List<ParameterSpec> parameterSpecs();

  /**
   * Creates initial parameters.
   *
   * @param manager where the arrays are created
   * @param dataType their type, {@code float32} or {@code float64}
   * @param seed fixes the values
   * @return one array per {@link #parameterSpecs()} entry, same order and names
   */
  Variables initialize(NDManager manager, DataType dataType, long seed);

  /**
   * Computes predictions.
   *
   * @param params the parameters, at least every name of {@link #parameterSpecs()}
   * @param input a batch of inputs, batch dimension first
   * @param training true while training (e.g. batch normalization with batch statistics)
   * @return the predictions, batch dimension first
   */
  NDArray forward(Variables params, NDArray input, boolean training);

  /**
   * The layers at which a {@link LayerHook} can intervene, in forward order.
   *
   * @return the hookable layers; none by default (a model that lists none ignores hooks)
   * @since 1.1.0
   */
  default List<LayerSpec> layers() {
    return List.of();
  }

  /**
   * Computes predictions, calling a hook with the output of every layer of {@link #layers()}: each
   * layer's output {@code a} is replaced by {@code hook.afterLayer(name, a)} before the network
   * continues. With {@link LayerHook#IDENTITY} the result equals {@link #forward(Variables,
   * NDArray, boolean)}.
   *
   * @param params the parameters, at least every name of {@link #parameterSpecs()}
   * @param input a batch of inputs, batch dimension first
   * @param training true while training
   * @param hook called after every listed layer
   * @return the predictions, batch dimension first
   * @since 1.1.0
   */
  default NDArray forward(Variables params, NDArray input, boolean training, LayerHook hook) {
    return forward(params, input, training);
  }
}
