package org.boml.plugins.metasgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.OwnedArrays;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * Meta-SGD's step sizes as meta-parameters: {@code alpha_p}, of the shape of every adapted
 * parameter {@code p} and named {@code metasgd.lr/<p>}, or with {@code scalar} one 0-dimensional
 * {@code metasgd.lr} shared by all. They are meta-learned, never adapted, and start at a constant
 * or, as in the paper (section 4.1), at values drawn independently from {@code U[0.005, 0.1]} with
 * the seed the runtime derives from the run's seed.
 */
final class StepSizes implements ModelExtension {
  /** The group and the name prefix of the step sizes. */
  static final String GROUP = "metasgd.lr";

  /** The smallest initial step size drawn with {@code init=uniform}. */
  static final double UNIFORM_LOW = 0.005;

  /** The bound the initial step sizes drawn with {@code init=uniform} stay below. */
  static final double UNIFORM_HIGH = 0.1;

  private final double initial;
  private final boolean scalar;
  private final boolean uniform;

  StepSizes(double initial, boolean scalar, boolean uniform) {
    this.initial = initial;
    this.scalar = scalar;
    this.uniform = uniform;
  }

  /**
   * The name of the step size of a base parameter.
   *
   * @param parameter the base parameter's name
   * @return the name of its {@code alpha} in {@code x}
   */
  String nameFor(String parameter) {
    return scalar ? GROUP : GROUP + "/" + parameter;
  }

  @Override
  public List<ParameterSpec> parameters(Model model, Set<String> adapted) {
    if (adapted.isEmpty()) {
      throw new IllegalArgumentException("Meta-SGD needs adapted parameters, but none are adapted");
    }
    if (scalar) {
      return List.of(new ParameterSpec(GROUP, new Shape(), GROUP));
    }
    List<ParameterSpec> specs = new ArrayList<>();
    for (ParameterSpec spec : model.parameterSpecs()) {
      if (adapted.contains(spec.name())) {
        specs.add(new ParameterSpec(nameFor(spec.name()), spec.shape(), GROUP));
      }
    }
    return specs;
  }

  @Override
  public Variables initialize(
      List<ParameterSpec> parameters, NDManager manager, DataType dataType, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterSpec spec : parameters) {
      double[] entries = new double[Math.toIntExact(spec.shape().size())];
      for (int i = 0; i < entries.length; i++) {
        entries[i] = uniform ? random.nextDouble(UNIFORM_LOW, UNIFORM_HIGH) : initial;
      }
      values.put(spec.name(), OwnedArrays.owned(manager.create(entries, spec.shape()), dataType));
    }
    return Variables.of(values);
  }
}
