package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * Adapts meta-parameters trained for N-way tasks to M-way tasks. Labels are assigned to classes at
 * random in every episode, so no row of a meta-learned head belongs to a particular class; the rule
 * is therefore: every one of the M rows of each head parameter (the first dimension of the {@link
 * ParameterSpec#HEAD} group) starts at the mean of the N trained rows, and adaptation tells the
 * classes apart. Parameters outside the head, and heads that are not meta-parameters (the
 * meta-feature family), are unchanged, and so are variables that are not the model's parameters
 * (those a method adds, see {@link ParameterLayout}).
 */
public final class HeadWidening {
  private HeadWidening() {}

  /**
   * The meta-parameters for a model with a different number of outputs.
   *
   * @param x the trained meta-parameters
   * @param target the model for the new number of outputs
   * @return {@code x} with every head parameter reshaped to the target's shape by the rule above
   * @throws IllegalArgumentException if a non-head parameter's shape differs
   */
  public static Variables widen(Variables x, Model target) {
    Map<String, NDArray> result = new LinkedHashMap<>();
    java.util.Set<String> modelNames = new java.util.HashSet<>();
    target.parameterSpecs().forEach(spec -> modelNames.add(spec.name()));
    for (ParameterSpec spec : target.parameterSpecs()) {
      if (!x.contains(spec.name())) {
        continue;
      }
      NDArray value = x.get(spec.name());
      if (value.getShape().equals(spec.shape())) {
        result.put(spec.name(), value);
      } else if (ParameterSpec.HEAD.equals(spec.group())) {
        NDArray mean = value.mean(new int[] {0}, true);
        long[] reps = new long[spec.shape().dimension()];
        java.util.Arrays.fill(reps, 1);
        reps[0] = spec.shape().get(0);
        result.put(spec.name(), mean.tile(reps));
      } else {
        throw new IllegalArgumentException(
            "parameter "
                + spec.name()
                + " has shape "
                + value.getShape()
                + " but the model needs "
                + spec.shape()
                + "; only the head can change with the number of classes");
      }
    }
    return Variables.of(result).merge(x.select(name -> !modelNames.contains(name)));
  }

  /**
   * The number of outputs a model's head produces.
   *
   * @param model the model
   * @return the first dimension of its first head parameter
   */
  public static long outputs(Model model) {
    return model.parameterSpecs().stream()
        .filter(p -> ParameterSpec.HEAD.equals(p.group()))
        .map(ParameterSpec::shape)
        .mapToLong(s -> s.get(0))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the model has no head parameters"));
  }
}
