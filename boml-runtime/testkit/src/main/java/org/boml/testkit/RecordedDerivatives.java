package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.boml.api.Differentiator;
import org.boml.api.ForwardingDifferentiator;

/**
 * A differentiator that records the derivatives one run of the dynamics takes and then, on every
 * {@link #replay()}, hands the same values back in the same order, whatever it is asked. Running
 * the dynamics at another {@code x} with it evaluates first-order MAML's surrogate: the steps with
 * their derivatives held at the values of the recorded trajectory. Used by the tests of {@code
 * fmaml} and by the plugin matrix; run it in float64.
 */
public final class RecordedDerivatives extends ForwardingDifferentiator {
  private final List<List<NDArray>> recorded = new ArrayList<>();
  private int next = -1;

  /**
   * A recorder that takes the derivatives from another differentiator.
   *
   * @param exact computes the derivatives while recording
   */
  public RecordedDerivatives(Differentiator exact) {
    super(exact);
  }

  /** Ends the recording, or the previous replay, and starts a replay from the first derivative. */
  public void replay() {
    if (next > 0 && next != recorded.size()) {
      throw new IllegalStateException(
          "the previous replay used " + next + " of " + recorded.size() + " derivatives");
    }
    next = 0;
  }

  /** Fails unless the replay used every recorded derivative. */
  public void requireAllReplayed() {
    if (next != recorded.size()) {
      throw new IllegalStateException(
          "the replay used " + next + " of " + recorded.size() + " recorded derivatives");
    }
  }

  @Override
  public List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph) {
    return recordOrReplay(() -> exact().vjp(outputs, cotangents, wrt, false));
  }

  @Override
  public List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph) {
    return recordOrReplay(() -> exact().gradient(scalar, wrt, false));
  }

  private List<NDArray> recordOrReplay(Supplier<List<NDArray>> derivative) {
    if (next < 0) {
      List<NDArray> values = derivative.get();
      List<NDArray> kept = values.stream().map(NDArray::duplicate).toList();
      // the dynamics may close what they are given when their step ends; keep a copy
      NDScope.unregister(kept.toArray(new NDArray[0]));
      recorded.add(kept);
      return values;
    }
    if (next >= recorded.size()) {
      throw new IllegalStateException("the replay asks for more derivatives than were recorded");
    }
    return recorded.get(next++).stream().map(NDArray::duplicate).toList();
  }
}
