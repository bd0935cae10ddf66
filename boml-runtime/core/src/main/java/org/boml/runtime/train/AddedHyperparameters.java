package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.boml.api.BilevelProblem;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * The hyperparameters that dynamics from a provider add to a {@link HyperparameterOptimizer}'s
 * ({@link org.boml.api.IterationModuleProvider#modelExtension}): the extension is asked for its
 * parameters with a model that lists the problem's base parameters {@code y_0} (names and shapes)
 * and no layers, since a problem of one's own has no model; added parameters that the lower level
 * would adapt, and names the given hyperparameters already hold, are refused.
 */
final class AddedHyperparameters {
  private AddedHyperparameters() {}

  /**
   * The added parameters, initialized by the extension in {@code root}.
   *
   * @param extension what the dynamics add
   * @param dynamics the dynamics' name, for messages
   * @param problems the problem, bound to a manager
   * @param given the user's hyperparameters
   * @param root where the added parameters live
   * @param seed the seed of random initial values
   * @return the added parameters
   */
  static Variables of(
      ModelExtension extension,
      String dynamics,
      Function<NDManager, BilevelProblem> problems,
      Variables given,
      NDManager root,
      long seed) {
    List<ParameterSpec> specs;
    try (NDManager scratch = root.newSubManager()) {
      Variables base = problems.apply(scratch).initialBase(given);
      List<ParameterSpec> baseSpecs = new ArrayList<>();
      base.asMap()
          .forEach(
              (name, value) ->
                  baseSpecs.add(new ParameterSpec(name, value.getShape(), ParameterSpec.HEAD)));
      specs =
          List.copyOf(extension.parameters(new BaseParameters(baseSpecs), base.asMap().keySet()));
    }
    for (ParameterSpec spec : specs) {
      if (given.contains(spec.name())) {
        throw new IllegalArgumentException(
            "the dynamics "
                + dynamics
                + " add the hyperparameter '"
                + spec.name()
                + "', which the given hyperparameters already hold; rename yours or drop the"
                + " dynamics option that adds it");
      }
      if (extension.adapted(spec)) {
        throw new IllegalArgumentException(
            "the dynamics "
                + dynamics
                + " add '"
                + spec.name()
                + "' to the lower-level state, which HyperparameterOptimizer cannot do for a"
                + " problem of one's own; use them with MetaLearner");
      }
    }
    DataType type = given.values().get(0).getDataType();
    return extension.initialize(specs, root, type, seed);
  }

  /**
   * The problem's base parameters as a model for {@link ModelExtension#parameters}: their names and
   * shapes, no layers, no forward pass.
   */
  private record BaseParameters(List<ParameterSpec> parameterSpecs) implements Model {
    @Override
    public Variables initialize(NDManager manager, DataType dataType, long seed) {
      throw new UnsupportedOperationException("a problem of one's own has no model to initialize");
    }

    @Override
    public NDArray forward(Variables params, NDArray input, boolean training) {
      throw new UnsupportedOperationException(
          "HyperparameterOptimizer has no model; an extension that needs the model's forward pass"
              + " works with MetaLearner only");
    }
  }
}
