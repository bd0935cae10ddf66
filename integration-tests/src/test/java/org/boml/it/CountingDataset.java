package org.boml.it;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Task;
import org.boml.api.TaskKind;

/**
 * A dataset that counts the tasks drawn from another, to tell whether a learner did any work. It
 * does not close the dataset it wraps.
 */
final class CountingDataset implements Dataset {
  private final Dataset inner;
  private final AtomicInteger samples = new AtomicInteger();

  CountingDataset(Dataset inner) {
    this.inner = inner;
  }

  /** The number of tasks drawn so far. */
  int samples() {
    return samples.get();
  }

  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    samples.incrementAndGet();
    return inner.sample(split, seed, manager);
  }

  @Override
  public Shape inputShape() {
    return inner.inputShape();
  }

  @Override
  public int outputs() {
    return inner.outputs();
  }

  @Override
  public TaskKind taskKind() {
    return inner.taskKind();
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public OptionalInt fixedEpisodes() {
    return inner.fixedEpisodes();
  }
}
