package org.boml.api;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.OptionalInt;

/**
 * A meta-dataset: an endless, reproducible source of tasks.
 *
 * <p>{@link #sample(MetaSplit, long, NDManager)} must be a pure function of its split and seed: the
 * same arguments give the same task on every call, in every thread and every JVM. The three {@link
 * MetaSplit}s must be disjoint.
 */
public interface Dataset extends AutoCloseable {
  /**
   * Samples one task.
   *
   * @param split which part of the meta-dataset to draw from
   * @param seed fixes the task completely
   * @param manager where the task's arrays are created; the caller closes it
   * @return the task
   */
  Task sample(MetaSplit split, long seed, NDManager manager);

  /**
   * The shape of one input, without the batch dimension.
   *
   * @return the input shape
   */
  Shape inputShape();

  /**
   * The number of model outputs a task needs (classes per task, or regression targets).
   *
   * @return the output count
   */
  int outputs();

  /**
   * What the targets are.
   *
   * @return the task kind
   */
  TaskKind taskKind();

  /**
   * A one-line description of the configured dataset (sizes, splits, shots).
   *
   * @return the description
   */
  String describe();

  /**
   * For a finite set of fixed episodes (a user's own tasks), their number; {@code sample(split, i,
   * ...)} then returns episode {@code i} and an evaluation visits each once. Endless samplers
   * return empty (the default).
   *
   * @return the number of fixed episodes, or empty
   */
  default OptionalInt fixedEpisodes() {
    return OptionalInt.empty();
  }

  /** Releases cached data. The default holds nothing. */
  @Override
  default void close() {}
}
