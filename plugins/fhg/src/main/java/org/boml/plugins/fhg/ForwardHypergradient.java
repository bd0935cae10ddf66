package org.boml.plugins.fhg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.UpperGradient;

/**
 * The forward-mode hypergradient (Franceschi, Donini, Frasconi and Pontil, "Forward and Reverse
 * Gradient-Based Hyperparameter Optimization", ICML 2017, section 3.2).
 *
 * <p>With {@code n} the number of scalar components of {@code x}, the module carries the tangents
 * {@code Z_t = dy_t/dx} (one tangent of the size of the state per component) along with the steps:
 *
 * <pre>
 *   Z_0 = dPsi_0/dx,   Z_{t+1} = A_t Z_t + B_t,   A_t = dPsi_t/dy (x, y_t),   B_t = dPsi_t/dx (x, y_t),
 *   dF(x, y_T)/dx = grad_x F(x, y_T) + Z_T^T grad_y F(x, y_T).
 * </pre>
 *
 * Column {@code k} of {@code Z_{t+1}} is one Jacobian-vector product of the step along the input
 * tangent {@code (Z_t e_k, e_k)} of {@code (y_t, x)}. Reverse-mode autodiff gives those by the
 * double-vector-Jacobian trick: with a dummy cotangent {@code u}, {@code g(u) = J^T u} is linear in
 * {@code u}, so {@code J v = d<g(u), v>/du} is a vector-Jacobian product of {@code g} with respect
 * to {@code u}. Each step therefore costs one differentiable step, one vector-Jacobian product with
 * a graph and {@code n} products through it. The state between steps is {@code y_t} and the {@code
 * n} tangents, whatever {@code T}: forward mode suits many steps and few hyperparameters (a
 * learning rate, a regularization strength), reverse mode ({@code rhg}) the opposite. The module
 * refuses {@code x} with more than {@code max-hyperparameters} components.
 *
 * <p>With {@code online = true} it returns the hypergradient of the upper objective averaged over
 * the trajectory,
 *
 * <pre>
 *   J(x) = 1/T sum_{t=1}^{T} F(x, y_t),   dJ/dx = 1/T sum_{t=1}^{T} (grad_x F(x, y_t) + Z_t^T grad_y F(x, y_t)),
 * </pre>
 *
 * (for {@code T = 0}, {@code F(x, y_0)}), accumulated at every step from the tangents available
 * there, and reports {@code J(x)} as the upper objective. This is the quantity of the paper's
 * real-time variant (RTHO), which computes the hypergradient of {@code F} at {@code y_t} during the
 * lower-level run and applies it at once; the API runs one trajectory at fixed {@code x}, so here
 * the per-step hypergradients are averaged into one instead of being applied one by one.
 *
 * <p>Every array the module returns carries no graph. The arrays of each step stay attached to the
 * problem's manager until the task ends, as with the runtime's other modules. The module is
 * stateless and thread-safe.
 */
final class ForwardHypergradient implements HypergradientModule {
  private final int maxHyperparameters;
  private final boolean online;

  /**
   * The module.
   *
   * @param maxHyperparameters the most scalar components {@code x} may have, {@code >= 1}
   * @param online whether to return the hypergradient of the trajectory's mean objective
   */
  ForwardHypergradient(int maxHyperparameters, boolean online) {
    if (maxHyperparameters < 1) {
      throw new IllegalArgumentException(
          "max-hyperparameters must be >= 1, got " + maxHyperparameters);
    }
    this.maxHyperparameters = maxHyperparameters;
    this.online = online;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    if (steps < 0) {
      throw new IllegalArgumentException(
          "the number of lower-level steps must be >= 0, got " + steps);
    }
    if (x.size() == 0) {
      throw new IllegalArgumentException("fhg needs at least one hyperparameter; x is empty");
    }
    int n = components(x);
    if (n > maxHyperparameters) {
      throw new IllegalArgumentException(
          "fhg carries one tangent per scalar component of x, and x has "
              + n
              + " components ("
              + x
              + "), more than max-hyperparameters="
              + maxHyperparameters
              + "; use rhg, whose cost does not grow with the size of x, or raise max-hyperparameters");
    }
    NDManager manager = problem.manager();
    DataType type = x.values().get(0).getDataType();
    List<List<NDArray>> units = unitTangents(x, n, manager, type);

    Variables initial = dynamics.initialize(x, problem, d);
    List<List<NDArray>> tangents = jvp(initial.values(), x.values(), units, d);
    Variables y = initial.map(NDArray::stopGradient);
    Accumulator total = new Accumulator(x, n, manager, type);
    if (online && steps == 0) {
      total.add(problem, x, y, tangents, d);
    }
    for (int t = 0; t < steps; t++) {
      Variables previous = y.map(d::leaf);
      Variables next = dynamics.step(t, x, previous, problem, d, true);
      next.requireSameNames(previous);
      List<List<NDArray>> inputTangents = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        List<NDArray> direction = new ArrayList<>(tangents.get(k));
        direction.addAll(units.get(k));
        inputTangents.add(direction);
      }
      tangents = jvp(next.values(), concat(previous.values(), x.values()), inputTangents, d);
      y = next.map(NDArray::stopGradient);
      if (online) {
        total.add(problem, x, y, tangents, d);
      }
    }
    if (!online) {
      total.add(problem, x, y, tangents, d);
    }
    return total.mean(d);
  }

  /**
   * Jacobian-vector products of {@code outputs = f(inputs)} along several input tangents, by the
   * double-vector-Jacobian trick.
   *
   * @param outputs the outputs, computed from {@code inputs} with a graph
   * @param inputs the arrays that take part in the graph
   * @param directions per tangent, one array per input, of the input's shape
   * @param d the autodiff
   * @return per tangent, one array per output, of the output's shape: {@code J v}
   */
  static List<List<NDArray>> jvp(
      List<NDArray> outputs,
      List<NDArray> inputs,
      List<List<NDArray>> directions,
      Differentiator d) {
    List<NDArray> dummies = new ArrayList<>(outputs.size());
    for (NDArray output : outputs) {
      dummies.add(d.leaf(output.zerosLike()));
    }
    List<NDArray> transposed = d.vjp(outputs, dummies, inputs, true);
    List<List<NDArray>> products = new ArrayList<>(directions.size());
    for (List<NDArray> direction : directions) {
      products.add(d.vjp(transposed, direction, dummies, false));
    }
    return products;
  }

  /** The sum of the hypergradients of F at some iterates, and of F, for the mean. */
  private static final class Accumulator {
    private final Variables x;
    private final int n;
    private final NDManager manager;
    private final DataType type;
    private Variables direct;
    private NDArray throughTangents;
    private double upper;
    private int count;

    Accumulator(Variables x, int n, NDManager manager, DataType type) {
      this.x = x;
      this.n = n;
      this.manager = manager;
      this.type = type;
    }

    /** Adds {@code grad_x F(x, y) + Z^T grad_y F(x, y)} and {@code F(x, y)}. */
    void add(
        BilevelProblem problem,
        Variables x,
        Variables y,
        List<List<NDArray>> tangents,
        Differentiator d) {
      UpperGradient at = UpperGradient.at(problem, x, y, d);
      Variables gradientX = at.gradientX();
      List<NDArray> gradientY = at.gradientY().values();
      List<NDArray> products = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        NDArray product = null;
        for (int i = 0; i < gradientY.size(); i++) {
          NDArray term = gradientY.get(i).mul(tangents.get(k).get(i)).sum();
          product = product == null ? term : product.add(term);
        }
        products.add(product == null ? manager.zeros(new Shape(), type) : product);
      }
      NDArray stacked = NDArrays.stack(new NDList(products));
      direct = direct == null ? gradientX : direct.zip(gradientX, NDArray::add);
      throughTangents = throughTangents == null ? stacked : throughTangents.add(stacked);
      upper += at.value();
      count++;
    }

    /** The mean of what was added, with the names and shapes of {@code x}. */
    Hypergradient mean(Differentiator d) {
      NDArray scale = d.constant(manager, 1.0 / count, type);
      List<NDArray> values = new ArrayList<>(x.size());
      long offset = 0;
      for (String name : x.names()) {
        NDArray value = x.get(name);
        long size = value.size();
        NDArray part =
            throughTangents
                .get(new NDIndex(offset + ":" + (offset + size)))
                .reshape(value.getShape());
        values.add(direct.get(name).add(part).mul(scale));
        offset += size;
      }
      return new Hypergradient(x.withValues(values), upper / count);
    }
  }

  /**
   * For every component {@code k} of {@code x}, the unit tangent {@code e_k}, one array per
   * variable.
   */
  private static List<List<NDArray>> unitTangents(
      Variables x, int n, NDManager manager, DataType type) {
    List<List<NDArray>> units = new ArrayList<>(n);
    NDArray identity = manager.eye(n, n, 0, type);
    for (int k = 0; k < n; k++) {
      NDArray row = identity.get(k);
      List<NDArray> unit = new ArrayList<>(x.size());
      long offset = 0;
      for (NDArray value : x.values()) {
        long size = value.size();
        unit.add(row.get(new NDIndex(offset + ":" + (offset + size))).reshape(value.getShape()));
        offset += size;
      }
      units.add(unit);
    }
    return units;
  }

  private static int components(Variables x) {
    long total = 0;
    for (NDArray value : x.values()) {
      total += value.size();
    }
    return Math.toIntExact(total);
  }

  private static List<NDArray> concat(List<NDArray> a, List<NDArray> b) {
    List<NDArray> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
