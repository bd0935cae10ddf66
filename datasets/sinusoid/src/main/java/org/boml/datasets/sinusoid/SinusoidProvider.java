package org.boml.datasets.sinusoid;

import java.util.List;
import org.boml.api.Dataset;
import org.boml.api.DatasetProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link SinusoidDataset} as dataset {@code sinusoid}. */
public final class SinusoidProvider implements DatasetProvider {
  @Override
  public String name() {
    return "sinusoid";
  }

  @Override
  public String description() {
    return "few-shot sinusoid regression (MAML paper), generated on the fly: no data needed";
  }

  @Override
  public String defaultModel() {
    return "mlp";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec("shots", "10", "training points per task (K)"),
        new OptionSpec("queries", "10", "validation points per task"));
  }

  @Override
  public Dataset open(Options options) {
    return new SinusoidDataset(options.getInt("shots", 1), options.getInt("queries", 1));
  }
}
