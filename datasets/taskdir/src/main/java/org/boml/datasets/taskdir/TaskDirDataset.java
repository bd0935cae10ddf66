package org.boml.datasets.taskdir;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;

/**
 * A fixed, finite list of decoded tasks; see {@link TaskDirProvider}. Task {@code i} is always the
 * i-th task folder in name order, whatever the split.
 */
final class TaskDirDataset implements Dataset {
  /** One decoded part of a task: class-major images and their labels. */
  record Part(float[] pixels, long[] labels) {}

  /** One decoded task. */
  record DecodedTask(String name, int classes, Part support, Part query) {}

  private final List<DecodedTask> tasks;
  private final int channels;
  private final int size;
  private final int outputs;
  private final String description;

  TaskDirDataset(Path dir, List<DecodedTask> tasks, int channels, int size, boolean invert) {
    this.tasks = List.copyOf(tasks);
    this.channels = channels;
    this.size = size;
    IntSummaryStatistics classes =
        tasks.stream().mapToInt(DecodedTask::classes).summaryStatistics();
    IntSummaryStatistics support =
        tasks.stream().mapToInt(t -> t.support().labels().length).summaryStatistics();
    IntSummaryStatistics query =
        tasks.stream().mapToInt(t -> t.query().labels().length).summaryStatistics();
    this.outputs = classes.getMax();
    this.description =
        String.format(
            Locale.ROOT,
            "tasks-dir %s: %d tasks, %s classes, %s support and %s query images per task; %dx%dx%d%s",
            dir,
            tasks.size(),
            range(classes),
            range(support),
            range(query),
            channels,
            size,
            size,
            invert ? ", inverted" : "");
  }

  private static String range(IntSummaryStatistics values) {
    return values.getMin() == values.getMax()
        ? String.valueOf(values.getMin())
        : values.getMin() + "-" + values.getMax();
  }

  /**
   * Task {@code seed}, the same for every split (the directory is for evaluation).
   *
   * @throws IllegalArgumentException if there is no task of that index
   */
  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    if (seed < 0 || seed >= tasks.size()) {
      throw new IllegalArgumentException(
          "the tasks directory has "
              + tasks.size()
              + " tasks (0.."
              + (tasks.size() - 1)
              + "); there is no task "
              + seed);
    }
    DecodedTask task = tasks.get((int) seed);
    return new Task(split(task.support(), manager), split(task.query(), manager));
  }

  private Split split(Part part, NDManager manager) {
    int n = part.labels().length;
    return new Split(
        manager.create(part.pixels(), new Shape(n, channels, size, size)),
        manager.create(part.labels()));
  }

  /**
   * The task folders' names, in task order.
   *
   * @return the names
   */
  List<String> taskNames() {
    return tasks.stream().map(DecodedTask::name).toList();
  }

  @Override
  public OptionalInt fixedEpisodes() {
    return OptionalInt.of(tasks.size());
  }

  @Override
  public Shape inputShape() {
    return new Shape(channels, size, size);
  }

  /** The largest number of classes of a task. */
  @Override
  public int outputs() {
    return outputs;
  }

  @Override
  public TaskKind taskKind() {
    return TaskKind.CLASSIFICATION;
  }

  @Override
  public String describe() {
    return description;
  }
}
