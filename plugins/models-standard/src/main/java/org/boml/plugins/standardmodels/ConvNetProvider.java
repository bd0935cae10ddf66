package org.boml.plugins.standardmodels;

import java.util.List;
import java.util.Set;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link ConvNet} as model {@code convnet}. */
public final class ConvNetProvider implements ModelProvider {
  @Override
  public String name() {
    return "convnet";
  }

  @Override
  public String description() {
    return "Conv-4: blocks of 3x3 conv, batch norm (batch statistics), ReLU, 2x2 max-pool; linear head";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec("blocks", "4", "number of convolution blocks"),
        new OptionSpec("filters", "64", "channels per block"),
        new OptionSpec("downsample", "maxpool", "maxpool or stride2"),
        new OptionSpec(
            "im2col-mib",
            "12",
            "largest im2col buffer one convolution may build, in MiB; larger batches are"
                + " convolved in parts (0: whole batches)"));
  }

  @Override
  public Model create(ModelSpec spec) {
    Options options = spec.options();
    boolean stride2 =
        options.getChoice("downsample", Set.of("maxpool", "stride2")).equals("stride2");
    return new ConvNet(
        spec.inputShape(),
        options.getInt("blocks", 1),
        options.getInt("filters", 1),
        stride2,
        spec.outputs(),
        (long) options.getInt("im2col-mib", 0) << 20);
  }
}
