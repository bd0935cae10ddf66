package org.boml.metarl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.boml.api.Variables;

/**
 * A Gaussian policy whose mean is a multilayer perceptron of the observation, as in the MAML paper
 * (two hidden layers of 100 ReLU units for 2D navigation) and rllab's {@code GaussianMLPPolicy}:
 *
 * <pre>
 *   mu(s) = W_L relu(... relu(W_1 s + b_1) ...) + b_L,    a ~ N(mu(s), diag(exp(logStd))^2)
 * </pre>
 *
 * with a learned log standard deviation per action coordinate that does not depend on the
 * observation. The parameters are named {@code w1, b1, ..., wL, bL, logStd}; {@code w_i} has shape
 * {@code (inputs, outputs)}. The same numbers are computed twice: in Java, to sample episodes
 * ({@link #sampler(Variables)}), and with differentiable array operations, for the surrogate
 * objectives ({@link #logLikelihood}).
 */
public final class GaussianMlpPolicy {
  /** The name of the log standard deviation. */
  public static final String LOG_STD = "logStd";

  private final int[] widths;

  /**
   * A policy.
   *
   * @param observations the observation size
   * @param hidden the widths of the hidden layers, e.g. {@code [100, 100]}
   * @param actions the action size
   */
  public GaussianMlpPolicy(int observations, List<Integer> hidden, int actions) {
    widths = new int[hidden.size() + 2];
    widths[0] = observations;
    for (int i = 0; i < hidden.size(); i++) {
      widths[i + 1] = hidden.get(i);
    }
    widths[widths.length - 1] = actions;
    for (int width : widths) {
      if (width < 1) {
        throw new IllegalArgumentException(
            "every layer of the policy needs at least one unit, got " + List.of(hidden));
      }
    }
  }

  /**
   * The number of affine layers.
   *
   * @return {@code L}
   */
  public int layers() {
    return widths.length - 1;
  }

  /**
   * The parameter names, in order.
   *
   * @return {@code w1, b1, ..., wL, bL, logStd}
   */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= layers(); i++) {
      names.add("w" + i);
      names.add("b" + i);
    }
    names.add(LOG_STD);
    return names;
  }

  /**
   * Initial parameters: Glorot-uniform weights (rllab's default), zero biases, unit standard
   * deviation.
   *
   * @param manager the owner of the arrays
   * @param type a floating-point type
   * @param seed the seed of the weights
   * @return the parameters
   */
  public Variables initialize(NDManager manager, DataType type, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (int i = 1; i <= layers(); i++) {
      int in = widths[i - 1];
      int out = widths[i];
      double bound = Math.sqrt(6.0 / (in + out));
      double[] weights = new double[in * out];
      for (int k = 0; k < weights.length; k++) {
        weights[k] = random.nextDouble(-bound, bound);
      }
      parameters.put("w" + i, Arrays64.engineOwned(manager, weights, new Shape(in, out), type));
      parameters.put("b" + i, manager.zeros(new Shape(out), type));
    }
    parameters.put(LOG_STD, manager.zeros(new Shape(widths[layers()]), type));
    return Variables.of(parameters);
  }

  /**
   * The log-density {@code log pi(a | s)} of each action, without the constant {@code -(A/2) log(2
   * pi)}, as a differentiable function of the parameters.
   *
   * @param parameters the policy's parameters (other variables are ignored)
   * @param observations {@code (N, observationSize)}
   * @param actions {@code (N, actionSize)}
   * @return {@code (N)}
   */
  public NDArray logLikelihood(Variables parameters, NDArray observations, NDArray actions) {
    NDArray h = observations;
    for (int i = 1; i <= layers(); i++) {
      h = h.matMul(parameters.get("w" + i)).add(parameters.get("b" + i));
      if (i < layers()) {
        h = Activation.relu(h);
      }
    }
    NDArray logStd = parameters.get(LOG_STD);
    NDArray half =
        Arrays64.engineOwned(h.getManager(), new double[] {0.5}, new Shape(), h.getDataType());
    NDArray z = actions.sub(h).mul(logStd.neg().exp());
    return z.square().sum(new int[] {1}).mul(half).add(logStd.sum()).neg();
  }

  /**
   * A copy of the parameters in Java arrays, to sample actions without the engine.
   *
   * @param parameters the policy's parameters
   * @return the sampler
   */
  public Sampler sampler(Variables parameters) {
    double[][] weights = new double[layers()][];
    double[][] biases = new double[layers()][];
    for (int i = 1; i <= layers(); i++) {
      weights[i - 1] = Arrays64.values(parameters.get("w" + i));
      biases[i - 1] = Arrays64.values(parameters.get("b" + i));
    }
    return new Sampler(widths.clone(), weights, biases, Arrays64.values(parameters.get(LOG_STD)));
  }

  /** The policy's numbers in Java arrays: the mean action and random actions. */
  public static final class Sampler {
    private final int[] widths;
    private final double[][] weights;
    private final double[][] biases;
    private final double[] std;

    private Sampler(int[] widths, double[][] weights, double[][] biases, double[] logStd) {
      this.widths = widths;
      this.weights = weights;
      this.biases = biases;
      this.std = new double[logStd.length];
      for (int j = 0; j < logStd.length; j++) {
        std[j] = Math.exp(logStd[j]);
      }
    }

    /**
     * The mean action {@code mu(s)}.
     *
     * @param observation {@code s}
     * @return a new array
     */
    public double[] mean(double[] observation) {
      double[] h = observation;
      for (int layer = 0; layer < weights.length; layer++) {
        int in = widths[layer];
        int out = widths[layer + 1];
        double[] next = biases[layer].clone();
        double[] w = weights[layer];
        for (int i = 0; i < in; i++) {
          double value = h[i];
          int row = i * out;
          for (int j = 0; j < out; j++) {
            next[j] += value * w[row + j];
          }
        }
        if (layer < weights.length - 1) {
          for (int j = 0; j < out; j++) {
            next[j] = Math.max(0, next[j]);
          }
        }
        h = next;
      }
      return h;
    }

    /**
     * An action drawn from {@code N(mu(s), diag(std)^2)}.
     *
     * @param observation {@code s}
     * @param random the source of the noise
     * @return a new array
     */
    public double[] act(double[] observation, SplittableRandom random) {
      double[] action = mean(observation);
      for (int j = 0; j < action.length; j++) {
        action[j] += std[j] * random.nextGaussian();
      }
      return action;
    }
  }
}
