package org.boml.datasets.taskdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.datasets.fewshot.ImageDecoder;

/**
 * Provides dataset {@code tasks-dir}: a user's own evaluation episodes, laid out as {@code
 * DIR/<task>/support/<class>/<image>} and {@code DIR/<task>/query/<class>/<image>} (see {@link
 * TaskFolders}). A task may have any number of classes; its class folders, sorted by name, get
 * labels 0..M-1, and query/ must have exactly the class folders of support/. {@link
 * Dataset#fixedEpisodes()} is the number of tasks and {@code sample(split, i, manager)} returns
 * task {@code i} in folder-name order, for every split.
 *
 * <p>Images of any size and format Java reads are converted to the model's input: gray ({@code
 * channels=1}, ITU-R 601-2 luma as Pillow) or RGB ({@code channels=3}), resized to {@code
 * image-size} squared (the aspect ratio is not kept) with the Pillow-compatible Lanczos filter,
 * scaled to [0, 1] and, with {@code invert=true}, inverted ({@code 1 - v}, for models trained on
 * Omniglot, whose strokes are 1).
 *
 * <p>Every image is decoded eagerly when the dataset opens, on all cores: all problems with the
 * files then surface as {@link DatasetException}s naming the file before any evaluation starts
 * ({@code sample} cannot report them as such), an evaluation visits every task anyway, and the
 * decoded floats take {@code 4 * channels * size^2} bytes per image (3 KB at 1x28x28). Nothing is
 * cached between opens.
 */
public final class TaskDirProvider implements DatasetProvider {
  @Override
  public String name() {
    return "tasks-dir";
  }

  @Override
  public String description() {
    return "your own evaluation tasks: DIR/<task>/support/<class>/*.png and DIR/<task>/query/<class>/*.png";
  }

  @Override
  public String defaultModel() {
    return "convnet";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            "dir",
            "",
            "folder of task folders, each with support/<class>/ and query/<class>/ images"),
        new OptionSpec("channels", "1", "1 (gray) or 3 (RGB): the model's input channels"),
        new OptionSpec("image-size", "28", "images are resized to this height and width"),
        new OptionSpec(
            "invert", "false", "true to use 1 - v (Omniglot-trained models: strokes are 1)"));
  }

  @Override
  public Dataset open(Options options) throws DatasetException {
    String dir = options.get("dir");
    if (dir.isBlank()) {
      throw new DatasetException(
          "tasks-dir needs a directory: --dir DIR, where DIR holds one folder per task,"
              + " each with support/<class>/ and query/<class>/ image folders");
    }
    int channels = Integer.parseInt(options.getChoice("channels", Set.of("1", "3")));
    int size = options.getInt("image-size", 1);
    boolean invert = Boolean.parseBoolean(options.getChoice("invert", Set.of("true", "false")));
    Path root = Path.of(dir);
    List<TaskFolders.TaskFolder> folders = TaskFolders.find(root);
    List<Path> files = new ArrayList<>();
    for (TaskFolders.TaskFolder task : folders) {
      for (List<TaskFolders.ClassFolder> part : List.of(task.support(), task.query())) {
        part.forEach(c -> files.addAll(c.images()));
      }
    }
    float[][] images = new float[files.size()][];
    try {
      IntStream.range(0, files.size())
          .parallel()
          .forEach(i -> images[i] = decode(files.get(i), channels, size, invert));
    } catch (UncheckedDatasetException e) {
      throw e.getCause();
    }
    int image = channels * size * size;
    List<TaskDirDataset.DecodedTask> tasks = new ArrayList<>();
    int next = 0;
    for (TaskFolders.TaskFolder task : folders) {
      TaskDirDataset.Part[] parts = new TaskDirDataset.Part[2];
      int p = 0;
      for (List<TaskFolders.ClassFolder> part : List.of(task.support(), task.query())) {
        int count = part.stream().mapToInt(c -> c.images().size()).sum();
        float[] pixels = new float[count * image];
        long[] labels = new long[count];
        int index = 0;
        for (int label = 0; label < part.size(); label++) {
          for (int k = 0; k < part.get(label).images().size(); k++) {
            System.arraycopy(images[next++], 0, pixels, index * image, image);
            labels[index++] = label;
          }
        }
        parts[p++] = new TaskDirDataset.Part(pixels, labels);
      }
      tasks.add(
          new TaskDirDataset.DecodedTask(task.name(), task.support().size(), parts[0], parts[1]));
    }
    return new TaskDirDataset(root, tasks, channels, size, invert);
  }

  private static float[] decode(Path file, int channels, int size, boolean invert) {
    try {
      return ImageDecoder.load(Files.readAllBytes(file), channels, size, invert, file.toString());
    } catch (DatasetException e) {
      throw new UncheckedDatasetException(e);
    } catch (IOException e) {
      throw new UncheckedDatasetException(
          new DatasetException("cannot read image " + file + ": " + e, e));
    }
  }

  /** Carries a {@link DatasetException} out of a stream. */
  private static final class UncheckedDatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedDatasetException(DatasetException cause) {
      super(cause);
    }

    @Override
    public synchronized DatasetException getCause() {
      return (DatasetException) super.getCause();
    }
  }
}
