package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.LayerHook;
import org.boml.api.LayerSpec;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * A fully connected network with ReLU activations, as a pure function of its parameters: hidden
 * layers {@code layer<i>.weight/bias} (group {@link ParameterSpec#FEATURES}) and an output layer
 * {@code head.weight/bias} (group {@link ParameterSpec#HEAD}). Weights and biases start uniform on
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]}, as PyTorch's {@code nn.Linear}.
 */
public final class Mlp implements Model {
  private final List<ParameterSpec> specs;
  private final List<LayerSpec> layers;
  private final int hiddenLayers;

  /**
   * An MLP.
   *
   * @param inputs the input size
   * @param hidden the width of each hidden layer
   * @param outputs the output size
   */
  public Mlp(int inputs, List<Integer> hidden, int outputs) {
    List<ParameterSpec> list = new ArrayList<>();
    List<LayerSpec> layerList = new ArrayList<>();
    int fanIn = inputs;
    for (int i = 0; i < hidden.size(); i++) {
      list.add(
          new ParameterSpec(
              "layer" + i + ".weight", new Shape(hidden.get(i), fanIn), ParameterSpec.FEATURES));
      list.add(
          new ParameterSpec(
              "layer" + i + ".bias", new Shape(hidden.get(i)), ParameterSpec.FEATURES));
      layerList.add(
          new LayerSpec(
              "layer" + i,
              hidden.get(i),
              List.of("layer" + i + ".weight", "layer" + i + ".bias"),
              false));
      fanIn = hidden.get(i);
    }
    layerList.add(new LayerSpec("head", outputs, List.of("head.weight", "head.bias"), true));
    this.layers = List.copyOf(layerList);
    list.add(new ParameterSpec("head.weight", new Shape(outputs, fanIn), ParameterSpec.HEAD));
    list.add(new ParameterSpec("head.bias", new Shape(outputs), ParameterSpec.HEAD));
    this.specs = List.copyOf(list);
    this.hiddenLayers = hidden.size();
  }

  @Override
  public List<ParameterSpec> parameterSpecs() {
    return specs;
  }

  @Override
  public Variables initialize(NDManager manager, DataType dataType, long seed) {
    return Initializers.pytorchDefault(specs, manager, dataType, seed);
  }

  /** The hidden layers {@code layer<i>} and the output layer {@code head}, each hookable. */
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
    NDArray hidden = input.reshape(input.getShape().get(0), -1);
    for (int i = 0; i < hiddenLayers; i++) {
      String layer = "layer" + i;
      NDArray linear =
          Linear.linear(hidden, params.get(layer + ".weight"), params.get(layer + ".bias"))
              .singletonOrThrow();
      hidden = Activation.relu(hook.afterLayer(layer, linear));
    }
    return hook.afterLayer(
        "head",
        Linear.linear(hidden, params.get("head.weight"), params.get("head.bias"))
            .singletonOrThrow());
  }
}
