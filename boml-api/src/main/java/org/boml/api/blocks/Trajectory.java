package org.boml.api.blocks;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * The iterates {@code y_k .. y_T} of one lower-level run {@code y_0 = Psi_0(x)}, {@code y_{t+1} =
 * Psi_t(x, y_t)}, computed without any graph; the iterates before the window {@code [k, T]} are
 * closed as soon as the next one exists. Memory is {@code O((T - k + 1) |y|)}: {@code k = T} keeps
 * only {@code y_T} (the methods that work at the end of the steps), {@code k = 0} keeps the whole
 * trajectory (a reverse pass that replays every step).
 *
 * <p>A step may pass an array through unchanged (the very same {@code NDArray} in {@code y_t} and
 * {@code y_{t+1}}): closing an iterate, here or in {@link #release(int)}, never closes an array
 * that the next kept iterate still holds.
 *
 * @since 1.4.0
 */
public final class Trajectory {
  private final int steps;
  private final int first;
  private final List<Variables> window;

  private Trajectory(int steps, int first, List<Variables> window) {
    this.steps = steps;
    this.first = first;
    this.window = window;
  }

  /**
   * Runs {@code T} steps without a graph and keeps the iterates from {@code y_k} on.
   *
   * @param problem the task
   * @param dynamics the lower-level dynamics
   * @param x the meta-parameters
   * @param steps {@code T >= 0}
   * @param first {@code k}, {@code 0 <= k <= T}: the first iterate kept
   * @param d the runtime's autodiff
   * @return the kept iterates, without any graph
   * @throws IllegalArgumentException if {@code T < 0} or {@code k} is outside {@code [0, T]}
   */
  public static Trajectory run(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      int first,
      Differentiator d) {
    if (steps < 0) {
      throw new IllegalArgumentException(
          "the number of lower-level steps must be >= 0, got " + steps);
    }
    if (first < 0 || first > steps) {
      throw new IllegalArgumentException(
          "the first kept iterate must be in [0, " + steps + "], got " + first);
    }
    List<Variables> window = new ArrayList<>(steps - first + 1);
    Variables y = dynamics.initialize(x, problem, d).map(NDArray::stopGradient);
    if (first == 0) {
      window.add(y);
    }
    for (int t = 0; t < steps; t++) {
      Variables next = dynamics.step(t, x, y, problem, d, false);
      if (t < first) {
        closeUnshared(y, next);
      }
      y = next;
      if (t + 1 >= first) {
        window.add(y);
      }
    }
    return new Trajectory(steps, first, window);
  }

  /**
   * The number of steps run.
   *
   * @return {@code T}
   */
  public int steps() {
    return steps;
  }

  /**
   * The first iterate kept.
   *
   * @return {@code k}
   */
  public int first() {
    return first;
  }

  /**
   * A kept iterate.
   *
   * @param t {@code k <= t <= T}
   * @return {@code y_t}, without any graph
   * @throws IllegalArgumentException if {@code t} is outside the window
   * @throws IllegalStateException if it was released
   */
  public Variables iterate(int t) {
    if (t < first || t > steps) {
      throw new IllegalArgumentException(
          "iterate " + t + " is outside the kept window [" + first + ", " + steps + "]");
    }
    Variables y = window.get(t - first);
    if (y == null) {
      throw new IllegalStateException("iterate " + t + " was released");
    }
    return y;
  }

  /**
   * The last iterate.
   *
   * @return {@code y_T}, without any graph
   */
  public Variables last() {
    return iterate(steps);
  }

  /**
   * Closes a kept iterate nothing reads any more, but for the arrays it shares with the iterate
   * before it (if that one is kept); a reverse pass releases {@code y_T, y_{T-1}, ..} in this
   * order. Releasing twice does nothing.
   *
   * @param t {@code k <= t <= T}
   */
  public void release(int t) {
    if (t < first || t > steps) {
      throw new IllegalArgumentException(
          "iterate " + t + " is outside the kept window [" + first + ", " + steps + "]");
    }
    Variables done = window.get(t - first);
    if (done == null) {
      return;
    }
    Variables before = t > first ? window.get(t - 1 - first) : null;
    if (before == null) {
      done.values().forEach(NDArray::close);
    } else {
      closeUnshared(done, before);
    }
    window.set(t - first, null);
  }

  /** Closes the arrays of {@code done} that {@code inUse} does not hold. */
  private static void closeUnshared(Variables done, Variables inUse) {
    Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    kept.addAll(inUse.values());
    for (NDArray array : done.values()) {
      if (!kept.contains(array)) {
        array.close();
      }
    }
  }
}
