package org.boml.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;

/**
 * A dataset whose tasks for given seeds are sampled up front, so that a timed meta-iteration does
 * not include sampling (the peer samples its tasks before its timed loop too). Asking for a
 * prepared seed returns a copy of the prepared task in the caller's manager; any other seed is
 * sampled from the wrapped dataset as usual. Close it to free the prepared tasks (the wrapped
 * dataset stays open: its owner closes it).
 */
public final class PresampledDataset implements Dataset {
  private final Dataset source;
  private final NDManager store;
  private final Map<Long, Task> prepared = new HashMap<>();

  /**
   * Samples the given meta-train tasks now.
   *
   * @param source the dataset to sample from
   * @param seeds the task seeds the timed iterations will ask for
   * @param manager the parent of the manager that keeps the prepared tasks
   */
  public PresampledDataset(Dataset source, long[] seeds, NDManager manager) {
    this.source = source;
    this.store = manager.newSubManager();
    for (long seed : seeds) {
      prepared.computeIfAbsent(seed, s -> source.sample(MetaSplit.TRAIN, s, store));
    }
  }

  /**
   * The number of distinct prepared tasks.
   *
   * @return the count
   */
  public int preparedTasks() {
    return prepared.size();
  }

  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    Task task = split == MetaSplit.TRAIN ? prepared.get(seed) : null;
    if (task == null) {
      return source.sample(split, seed, manager);
    }
    return new Task(copy(task.train(), manager), copy(task.validation(), manager));
  }

  private static Split copy(Split split, NDManager manager) {
    return new Split(copy(split.inputs(), manager), copy(split.targets(), manager));
  }

  private static NDArray copy(NDArray array, NDManager manager) {
    NDArray copy = array.duplicate();
    copy.attach(manager);
    return copy;
  }

  @Override
  public Shape inputShape() {
    return source.inputShape();
  }

  @Override
  public int outputs() {
    return source.outputs();
  }

  @Override
  public TaskKind taskKind() {
    return source.taskKind();
  }

  @Override
  public String describe() {
    return source.describe() + " (" + prepared.size() + " meta-train tasks sampled up front)";
  }

  @Override
  public OptionalInt fixedEpisodes() {
    return source.fixedEpisodes();
  }

  @Override
  public void close() {
    store.close();
  }
}
