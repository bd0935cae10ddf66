package org.boml.plugins.basicdynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.OwnedArrays;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * The hyperparameters of the built-in dynamics that an option makes learnable ({@code learn-lr},
 * {@code learn-momentum}), as a {@link ModelExtension}: each is one 0-dimensional meta-parameter,
 * named {@code <dynamics>.<quantity>} (e.g. {@code gd.log-lr}), in a group of that name, that the
 * lower level never adapts and that starts at a value fixed by the options. It leaves the model's
 * forward pass unchanged, so it serves any model, and {@link
 * org.boml.runtime.train.HyperparameterOptimizer} adds it to a problem of one's own as well.
 */
final class LearnedScalars implements ModelExtension {
  private final Map<String, Double> initial;

  private LearnedScalars(Map<String, Double> initial) {
    this.initial = initial;
  }

  /**
   * The extension for some scalars, or none.
   *
   * @param initial each name with its initial value, in order
   * @return empty if there are none
   */
  static Optional<ModelExtension> of(Map<String, Double> initial) {
    return initial.isEmpty()
        ? Optional.empty()
        : Optional.of(new LearnedScalars(new LinkedHashMap<>(initial)));
  }

  @Override
  public List<ParameterSpec> parameters(Model model, Set<String> adapted) {
    List<ParameterSpec> specs = new ArrayList<>(initial.size());
    initial.keySet().forEach(name -> specs.add(new ParameterSpec(name, new Shape(), name)));
    return specs;
  }

  @Override
  public Variables initialize(
      List<ParameterSpec> parameters, NDManager manager, DataType dataType, long seed) {
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterSpec spec : parameters) {
      Double value = initial.get(spec.name());
      if (value == null) {
        throw new IllegalArgumentException("no learned hyperparameter is named " + spec.name());
      }
      values.put(spec.name(), OwnedArrays.owned(manager.create(value.doubleValue()), dataType));
    }
    return Variables.of(values);
  }

  @Override
  public String toString() {
    return "learned " + initial;
  }
}
