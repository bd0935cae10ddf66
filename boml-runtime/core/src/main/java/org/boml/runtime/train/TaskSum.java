package org.boml.runtime.train;

import java.io.Serializable;

/**
 * The summed hypergradients and upper-level objectives of some tasks of one meta-iteration, as
 * plain Java data: what a distributed worker returns, and what partial sums add up to before {@link
 * MetaLearner#step(int, TaskSum)} applies them.
 */
public final class TaskSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PlainVariables gradient;
  private final double upperObjective;
  private final int tasks;
  private final int firstBadTask;

  TaskSum(PlainVariables gradient, double upperObjective, int tasks, int firstBadTask) {
    this.gradient = gradient;
    this.upperObjective = upperObjective;
    this.tasks = tasks;
    this.firstBadTask = firstBadTask;
  }

  /**
   * The sum of no task, the neutral element of {@link #plus(TaskSum)}.
   *
   * @return an empty sum
   */
  public static TaskSum empty() {
    return new TaskSum(null, 0, 0, -1);
  }

  /**
   * Adds two partial sums; the result does not depend on which is first but for float rounding.
   *
   * @param other another partial sum of the same iteration
   * @return the sum of both
   */
  public TaskSum plus(TaskSum other) {
    if (other.tasks == 0) {
      return this;
    }
    if (tasks == 0) {
      return other;
    }
    int bad =
        firstBadTask < 0
            ? other.firstBadTask
            : other.firstBadTask < 0 ? firstBadTask : Math.min(firstBadTask, other.firstBadTask);
    return new TaskSum(
        gradient.plus(other.gradient),
        upperObjective + other.upperObjective,
        tasks + other.tasks,
        bad);
  }

  /**
   * The summed hypergradient.
   *
   * @return the sum, or {@code null} for no task
   */
  public PlainVariables gradient() {
    return gradient;
  }

  /**
   * The summed upper-level objectives.
   *
   * @return the sum
   */
  public double upperObjective() {
    return upperObjective;
  }

  /**
   * How many tasks were summed.
   *
   * @return the count
   */
  public int tasks() {
    return tasks;
  }

  /**
   * The lowest index of a summed task whose upper-level objective is not finite.
   *
   * @return the index, or -1 if all are finite
   */
  public int firstBadTask() {
    return firstBadTask;
  }
}
