package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.boml.api.Variables;
import org.boml.api.blocks.UpdateRules;
import org.boml.api.blocks.UpdateRules.AdamCoefficients;
import org.boml.api.blocks.UpdateRules.AdamConstants;

/**
 * The upper-level optimizer that applies hypergradients to the meta-parameters: {@link #sgd()},
 * {@link #momentum(double)} or {@link #adam(double, double, double)}. Its state (moments, step
 * count) is explicit and lives beside the parameters; updates are applied in place. The momentum
 * and Adam maths is {@link UpdateRules}, the same that the differentiable dynamics {@code momentum}
 * and {@code adam} use.
 *
 * <p>Scalars are arrays of the parameters' type, closed with the step's scope. The runtime never
 * uses the {@code Number} overloads of {@link NDArray} arithmetic, whose Java-backed scalar is
 * unsafe wherever an autograd graph may keep it.
 */
public abstract class OuterOptimizer {
  private final String name;
  private long steps;

  private OuterOptimizer(String name) {
    this.name = name;
  }

  /**
   * Plain gradient descent, {@code x <- x - lr * g}.
   *
   * @return the optimizer
   */
  public static OuterOptimizer sgd() {
    return new Sgd();
  }

  /**
   * Heavy-ball momentum, {@code v <- beta * v + g; x <- x - lr * v}.
   *
   * @param beta the momentum, in {@code [0, 1)}
   * @return the optimizer
   */
  public static OuterOptimizer momentum(double beta) {
    return new Momentum(beta);
  }

  /**
   * Adam (Kingma and Ba, 2015) with bias correction.
   *
   * @param beta1 decay of the first moment, in {@code [0, 1)}
   * @param beta2 decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to the denominator, {@code > 0}
   * @return the optimizer
   */
  public static OuterOptimizer adam(double beta1, double beta2, double epsilon) {
    return new Adam(beta1, beta2, epsilon);
  }

  /**
   * Adam with the usual constants 0.9, 0.999 and 1e-8.
   *
   * @return the optimizer
   */
  public static OuterOptimizer adam() {
    return adam(0.9, 0.999, 1e-8);
  }

  /**
   * The optimizer's name: {@code sgd}, {@code momentum} or {@code adam}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The number of updates applied so far.
   *
   * @return the step count
   */
  public long steps() {
    return steps;
  }

  /**
   * The optimizer's state arrays for checkpoints, named {@code <slot>/<parameter>} (for Adam {@code
   * m/conv0.weight} and {@code v/conv0.weight}); empty before the first step and for SGD.
   *
   * @param params the parameters the state belongs to, for their names
   * @return the state (the arrays themselves, not copies)
   */
  public final Variables state(Variables params) {
    java.util.Map<String, NDArray> named = new java.util.LinkedHashMap<>();
    List<String> names = params.names();
    for (Map.Entry<String, List<NDArray>> slot : slots().entrySet()) {
      for (int i = 0; i < slot.getValue().size(); i++) {
        named.put(slot.getKey() + "/" + names.get(i), slot.getValue().get(i));
      }
    }
    return Variables.of(named);
  }

  /**
   * Restores the state saved by {@link #state(Variables)} and the step count.
   *
   * @param params the parameters, for their names and as templates
   * @param saved the saved state arrays (copied into fresh arrays beside the parameters)
   * @param stepCount the number of updates applied before the checkpoint
   * @throws IllegalArgumentException if the saved state does not fit this optimizer, or is the
   *     state of another one
   */
  public final void restore(Variables params, Variables saved, long stepCount) {
    Set<String> savedSlots = new TreeSet<>();
    saved.names().forEach(key -> savedSlots.add(key.substring(0, Math.max(0, key.indexOf('/')))));
    if (!savedSlots.isEmpty() && !savedSlots.equals(new TreeSet<>(slots().keySet()))) {
      throw new IllegalArgumentException(
          "the checkpoint holds outer-optimizer state "
              + savedSlots
              + " but this run's outer optimizer '"
              + name
              + "' keeps "
              + new TreeSet<>(slots().keySet())
              + "; the checkpoint is from a run with another outer optimizer");
    }
    List<String> names = params.names();
    for (Map.Entry<String, List<NDArray>> slot : slots().entrySet()) {
      List<NDArray> arrays = slot.getValue();
      arrays.forEach(NDArray::close);
      arrays.clear();
      if (stepCount == 0) {
        continue;
      }
      for (String name : names) {
        String key = slot.getKey() + "/" + name;
        if (!saved.contains(key)) {
          throw new IllegalArgumentException(
              "the checkpoint has no " + this.name + " state '" + key + "'");
        }
        NDArray like = params.get(name);
        NDArray copy = like.zerosLike();
        copy.set(saved.get(key).toType(like.getDataType(), false).toByteBuffer());
        arrays.add(copy);
      }
    }
    this.steps = stepCount;
  }

  /** The named lists of state arrays, one array per parameter, in parameter order. */
  abstract Map<String, List<NDArray>> slots();

  /**
   * Applies one update in place.
   *
   * @param params the meta-parameters, updated in place
   * @param gradient the hypergradient, same names
   * @param learningRate the step size of this update
   */
  public final void step(Variables params, Variables gradient, double learningRate) {
    params.requireSameNames(gradient);
    steps++;
    List<NDArray> x = params.values();
    List<NDArray> g = gradient.values();
    try (NDScope scope = new NDScope()) {
      for (int i = 0; i < x.size(); i++) {
        NDArray update = direction(i, x.get(i), g.get(i));
        x.get(i).subi(update.mul(scalar(update, learningRate)));
      }
    }
  }

  /**
   * The update direction of parameter {@code i} for the current step (before the learning rate),
   * updating any state; temporaries may be left to the enclosing {@link NDScope}.
   */
  abstract NDArray direction(int index, NDArray param, NDArray gradient);

  /** A 0-dimensional array of {@code like}'s type and manager, left to the enclosing scope. */
  static NDArray scalar(NDArray like, double value) {
    return like.getManager().create(value).toType(like.getDataType(), false);
  }

  /** A state array shaped like {@code like}, in {@code like}'s manager, that outlives the scope. */
  static NDArray state(NDArray like) {
    NDArray zeros = like.zerosLike();
    NDScope.unregister(zeros);
    return zeros;
  }

  /** Replaces state array {@code index} by {@code next}, which then outlives the step's scope. */
  static NDArray keep(List<NDArray> states, int index, NDArray next) {
    NDScope.unregister(next);
    states.set(index, next).close();
    return next;
  }

  private static void requireUnit(String what, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), got " + value);
    }
  }

  private static final class Sgd extends OuterOptimizer {
    Sgd() {
      super("sgd");
    }

    @Override
    NDArray direction(int index, NDArray param, NDArray gradient) {
      return gradient;
    }

    @Override
    Map<String, List<NDArray>> slots() {
      return Map.of();
    }
  }

  private static final class Momentum extends OuterOptimizer {
    private final double beta;
    private final List<NDArray> velocity = new ArrayList<>();

    Momentum(double beta) {
      super("momentum");
      requireUnit("momentum", beta);
      this.beta = beta;
    }

    @Override
    NDArray direction(int index, NDArray param, NDArray gradient) {
      if (velocity.size() == index) {
        velocity.add(state(param));
      }
      return keep(
          velocity,
          index,
          UpdateRules.momentumVelocity(velocity.get(index), gradient, scalar(gradient, beta)));
    }

    @Override
    Map<String, List<NDArray>> slots() {
      return Map.of("velocity", velocity);
    }
  }

  private static final class Adam extends OuterOptimizer {
    private final AdamConstants constants;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();

    Adam(double beta1, double beta2, double epsilon) {
      super("adam");
      this.constants = new AdamConstants(beta1, beta2, epsilon);
    }

    @Override
    NDArray direction(int index, NDArray param, NDArray gradient) {
      if (first.size() == index) {
        first.add(state(param));
        second.add(state(param));
      }
      AdamCoefficients coefficients =
          constants.at(scalar(gradient, (double) steps()), value -> scalar(gradient, value));
      NDArray m =
          keep(first, index, UpdateRules.adamFirstMoment(first.get(index), gradient, coefficients));
      NDArray v =
          keep(
              second,
              index,
              UpdateRules.adamSecondMoment(second.get(index), gradient, coefficients));
      return UpdateRules.adamDirection(m, v, coefficients);
    }

    @Override
    Map<String, List<NDArray>> slots() {
      Map<String, List<NDArray>> slots = new java.util.LinkedHashMap<>();
      slots.put("m", first);
      slots.put("v", second);
      return slots;
    }
  }
}
