package org.boml.spark;

import java.util.ArrayList;
import java.util.List;

/** Splits the tasks of a meta-batch into contiguous ranges, one per Spark partition. */
final class TaskRanges {
  private TaskRanges() {}

  /**
   * {@code parts} ranges {@code [from, to)} covering {@code 0 .. tasks-1} in order, as even as
   * possible; fewer when there are fewer tasks than parts (no range is empty).
   */
  static List<int[]> split(int tasks, int parts) {
    if (tasks < 1 || parts < 1) {
      throw new IllegalArgumentException(
          "need at least one task and one partition, got " + tasks + " and " + parts);
    }
    int count = Math.min(tasks, parts);
    List<int[]> ranges = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      ranges.add(new int[] {p * tasks / count, (p + 1) * tasks / count});
    }
    return ranges;
  }
}
