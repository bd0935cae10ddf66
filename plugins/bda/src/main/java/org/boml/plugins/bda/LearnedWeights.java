package org.boml.plugins.bda;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.OwnedArrays;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * BDA's learnable hyperparameters as meta-parameters, as BOML's {@code learn_alpha}, {@code
 * learn_alpha_itr} and {@code learn_st} make them: the aggregation weight {@value #ALPHA} (one
 * scalar, or a vector of one weight per lower-level step) and the logarithm of the upper-level step
 * size {@value #LOG_UPPER_RATE}. Meta-learned, never adapted; the model's forward pass is
 * unchanged.
 */
final class LearnedWeights implements ModelExtension {
  /** The name and group of the learned aggregation weight(s). */
  static final String ALPHA = "bda.alpha";

  /** The name and group of the learned {@code log s_u}. */
  static final String LOG_UPPER_RATE = "bda.log-s_u";

  private final Aggregation aggregation;
  private final double alpha;
  private final int steps;
  private final double upperRate;
  private final boolean learnUpperRate;

  /** How the aggregation weight is given. */
  enum Aggregation {
    /** A constant {@code alpha}, {@code mu_t = alpha / (t + 1)}. */
    FIXED,
    /** A learned scalar {@code alpha = x[bda.alpha]}, {@code mu_t = alpha / (t + 1)}. */
    SCALAR,
    /** A learned vector, {@code mu_t = x[bda.alpha][t]}. */
    PER_STEP
  }

  /**
   * The learned hyperparameters.
   *
   * @param aggregation how the weight is given
   * @param alpha the initial {@code alpha}
   * @param steps {@code T}, the length of a per-step vector
   * @param upperRate the initial {@code s_u}
   * @param learnUpperRate whether {@code s_u} is learned
   */
  LearnedWeights(
      Aggregation aggregation, double alpha, int steps, double upperRate, boolean learnUpperRate) {
    this.aggregation = aggregation;
    this.alpha = alpha;
    this.steps = steps;
    this.upperRate = upperRate;
    this.learnUpperRate = learnUpperRate;
  }

  @Override
  public List<ParameterSpec> parameters(Model model, Set<String> adapted) {
    List<ParameterSpec> specs = new ArrayList<>();
    if (aggregation == Aggregation.SCALAR) {
      specs.add(new ParameterSpec(ALPHA, new Shape(), ALPHA));
    } else if (aggregation == Aggregation.PER_STEP) {
      specs.add(new ParameterSpec(ALPHA, new Shape(steps), ALPHA));
    }
    if (learnUpperRate) {
      specs.add(new ParameterSpec(LOG_UPPER_RATE, new Shape(), LOG_UPPER_RATE));
    }
    return specs;
  }

  /**
   * {@code alpha}, or per step the fixed schedule {@code alpha / (t + 1)}, so that learning starts
   * from the dynamics of the constant; {@code log s_u}.
   */
  @Override
  public Variables initialize(
      List<ParameterSpec> parameters, NDManager manager, DataType dataType, long seed) {
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterSpec spec : parameters) {
      double[] initial;
      if (spec.name().equals(ALPHA)) {
        initial = new double[(int) spec.shape().size()];
        for (int t = 0; t < initial.length; t++) {
          initial[t] = aggregation == Aggregation.PER_STEP ? alpha / (t + 1) : alpha;
        }
      } else if (spec.name().equals(LOG_UPPER_RATE)) {
        initial = new double[] {Math.log(upperRate)};
      } else {
        throw new IllegalArgumentException("bda adds no parameter named " + spec.name());
      }
      values.put(spec.name(), OwnedArrays.owned(manager.create(initial, spec.shape()), dataType));
    }
    return Variables.of(values);
  }
}
