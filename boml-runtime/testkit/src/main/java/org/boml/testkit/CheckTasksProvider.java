package org.boml.testkit;

import java.util.List;
import java.util.Set;
import org.boml.api.Dataset;
import org.boml.api.DatasetProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/**
 * Provides the {@link CheckTasks} as dataset {@code check-tasks}, for smoke runs of a plugin from
 * the command line ({@code boml train --dataset check-tasks --iterations 2}). Being a provider of a
 * service that {@code org.boml.api} uses also puts the test kit, and with it the runtime and the
 * engine, on the module path of every plugin's tests (Surefire's module path holds what the module
 * under test requires and the providers of the services its modules use).
 */
public final class CheckTasksProvider implements DatasetProvider {
  @Override
  public String name() {
    return "check-tasks";
  }

  @Override
  public String description() {
    return "the test kit's tiny tasks for smoke runs: sinusoid regression (10 + 10 points), or"
        + " 3-way 1x6x6 random images";
  }

  @Override
  public String defaultModel() {
    return "mlp";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(new OptionSpec("tasks", "sinusoid", "sinusoid or images"));
  }

  @Override
  public Dataset open(Options options) {
    return options.getChoice("tasks", Set.of("sinusoid", "images")).equals("images")
        ? CheckTasks.images()
        : CheckTasks.sinusoid();
  }
}
