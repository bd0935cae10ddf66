package org.boml.plugins.standardmodels;

import java.util.Arrays;
import java.util.List;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.OptionSpec;

/** Provides {@link ResNet} as model {@code resnet}. */
public final class ResNetProvider implements ModelProvider {
  @Override
  public String name() {
    return "resnet";
  }

  @Override
  public String description() {
    return "BOML's residual network: blocks of 3x(3x3 conv, batch norm, leaky ReLU 0.1) + 1x1-conv skip, 2x2"
        + " max-pool; global average pooling, linear head";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            "widths",
            "64,96,128,256",
            "comma-separated channels of the residual blocks (64,96 for Omniglot)"));
  }

  @Override
  public Model create(ModelSpec spec) {
    String text = spec.options().get("widths").trim();
    List<Integer> widths;
    try {
      widths = Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option 'widths' of model 'resnet' must be block widths like 64,96,128,256 but is '"
              + text
              + "'");
    }
    if (widths.stream().anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException(
          "Option 'widths' of model 'resnet' needs positive widths, got '" + text + "'");
    }
    return new ResNet(spec.inputShape(), widths, spec.outputs());
  }
}
