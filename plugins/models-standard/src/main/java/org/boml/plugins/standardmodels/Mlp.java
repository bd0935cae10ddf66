package org.boml.plugins.standardmodels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.boml.api.LayerHook;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * A fully connected network with ReLU activations, as a pure function of its parameters: hidden
 * layers {@code layer<i>.weight/bias} (group {@link ParameterSpec#FEATURES}) and an output layer
 * {@code head.weight/bias} (group {@link ParameterSpec#HEAD}). Weights and biases start uniform on
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]}, as PyTorch's {@code nn.Linear}. Its hookable layers
 * are the hidden layers {@code layer<i>} and the output layer {@code head}.
 */
public final class Mlp extends LayeredModel {
  private final int hiddenLayers;

  /**
   * An MLP.
   *
   * @param inputs the input size
   * @param hidden the width of each hidden layer
   * @param outputs the output size
   */
  public Mlp(int inputs, List<Integer> hidden, int outputs) {
    int fanIn = inputs;
    for (int i = 0; i < hidden.size(); i++) {
      String layer = "layer" + i;
      feature(layer + ".weight", new Shape(hidden.get(i), fanIn));
      feature(layer + ".bias", new Shape(hidden.get(i)));
      hiddenLayer(layer, hidden.get(i), layer + ".weight", layer + ".bias");
      fanIn = hidden.get(i);
    }
    linearHead(outputs, fanIn);
    this.hiddenLayers = hidden.size();
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
    return head(params, hidden, hook);
  }
}
