package org.boml.plugins.standardmodels;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.OptionSpec;

/** Provides {@link Mlp} as model {@code mlp}. */
public final class MlpProvider implements ModelProvider {
  @Override
  public String name() {
    return "mlp";
  }

  @Override
  public String description() {
    return "fully connected ReLU network (default 40-40 hidden units, as MAML's sinusoid model)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(new OptionSpec("hidden", "40,40", "comma-separated hidden layer widths"));
  }

  @Override
  public Model create(ModelSpec spec) {
    String text = spec.options().get("hidden").trim();
    List<Integer> hidden;
    try {
      hidden =
          text.isEmpty()
              ? List.of()
              : Arrays.stream(text.split(","))
                  .map(String::trim)
                  .map(Integer::parseInt)
                  .collect(Collectors.toList());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option 'hidden' of model 'mlp' must be widths like 40,40 but is '" + text + "'");
    }
    if (hidden.stream().anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException(
          "Option 'hidden' of model 'mlp' needs positive widths, got '" + text + "'");
    }
    return new Mlp(Math.toIntExact(spec.inputShape().size()), hidden, spec.outputs());
  }
}
