package org.boml.it;

import java.util.List;
import java.util.Map;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.standardmodels.MlpProvider;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;

/**
 * In-process meta-training on sinusoid regression with the {@code mlp} model and gradient-descent
 * dynamics.
 *
 * <p>The dataset and hypergradient providers come from a {@link PluginRegistry}, as in the command
 * line: their modules export no package (a plugin is reached only through its provider interface),
 * and failsafe runs them on the module path, so the registry sees them as the named, versioned
 * modules they are.
 */
final class SinusoidTraining {
  private static final PluginRegistry PLUGINS = PluginRegistry.discover(List.of());

  private SinusoidTraining() {}

  /** The plugins on the test JVM's module path. */
  static PluginRegistry plugins() {
    return PLUGINS;
  }

  /** The sinusoid dataset with its default options (10 shots, 10 queries). */
  static Dataset openSinusoid() throws DatasetException {
    DatasetProvider sinusoid = PLUGINS.dataset("sinusoid");
    return sinusoid.open(Options.forProvider(Map.of(), sinusoid));
  }

  /**
   * A learner builder with the dataset, the default MLP, gradient descent and a hypergradient
   * module set; everything else is left to the caller.
   *
   * @param data the open sinusoid dataset
   * @param method the hypergradient plugin's name
   * @param methodOptions its options
   * @param innerLearningRate the step size of the lower-level gradient descent
   * @return the builder
   */
  static MetaLearnerBuilder learner(
      Dataset data, String method, Map<String, String> methodOptions, double innerLearningRate) {
    ModelProvider mlp = new MlpProvider();
    Model model =
        mlp.create(
            new ModelSpec(data.inputShape(), data.outputs(), Options.forProvider(Map.of(), mlp)));
    HypergradientModuleProvider hypergradient = PLUGINS.hypergradient(method);
    return MetaLearner.builder()
        .dataset(data)
        .model(model)
        .dynamics("gd", new GradientDescent(innerLearningRate))
        .hypergradient(
            method, hypergradient.create(Options.forProvider(methodOptions, hypergradient)));
  }
}
