package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.LayerHook;
import org.boml.api.LayerSpec;
import org.boml.api.Model;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.plugins.standardmodels.ResNet;
import org.boml.runtime.engine.ComputeEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in models call a layer hook with every layer they list, in order, with an output of the
 * listed width, and a hook's result replaces the layer's output.
 */
class LayerHookTest {
  private static Model model(String name) {
    return switch (name) {
      case "mlp" -> new Mlp(2, List.of(4, 3), 2);
      case "convnet" -> new ConvNet(new Shape(1, 8, 8), 2, 3, false, 2);
      default -> new ResNet(new Shape(1, 8, 8), List.of(2, 3), 2);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "convnet", "resnet"})
  void everyListedLayerIsHookedInOrderAndTheHookTakesEffect(String name) {
    ComputeEngines.get().prepareThread();
    Model model = model(name);
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables params = model.initialize(manager, DataType.FLOAT64, 3);
      NDArray input =
          name.equals("mlp")
              ? manager.randomUniform(-1, 1, new Shape(5, 2), DataType.FLOAT64)
              : manager.randomUniform(0, 1, new Shape(5, 1, 8, 8), DataType.FLOAT64);
      List<String> seen = new ArrayList<>();
      List<Long> widths = new ArrayList<>();
      NDArray identity =
          model.forward(
              params,
              input,
              true,
              (layer, activation) -> {
                seen.add(layer);
                widths.add(activation.getShape().get(1));
                return activation;
              });
      assertEquals(model.layers().stream().map(LayerSpec::name).toList(), seen);
      assertEquals(model.layers().stream().map(LayerSpec::units).toList(), widths);
      assertEquals(0, identity.sub(model.forward(params, input, true)).abs().max().getDouble(), 0);
      for (LayerSpec layer : model.layers()) {
        for (String parameter : layer.parameters()) {
          assertEquals(layer.units(), params.get(parameter).getShape().get(0), parameter);
        }
      }
      // doubling the output layer's result doubles the predictions
      LayerHook doubleHead =
          (layer, activation) -> layer.equals("head") ? activation.add(activation) : activation;
      NDArray doubled = model.forward(params, input, true, doubleHead);
      assertEquals(0, doubled.sub(identity.add(identity)).abs().max().getDouble(), 1e-12);
    }
  }
}
