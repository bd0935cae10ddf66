package org.boml.datasets.taskdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.boml.api.DatasetException;

/**
 * Finds the tasks of a tasks directory: {@code DIR/<task>/support/<class>/<image>} and {@code
 * DIR/<task>/query/<class>/<image>}. Tasks, classes and images are sorted by name (plain string
 * order, so {@code task10} comes before {@code task2}); names starting with a dot are ignored
 * everywhere. An image is a file whose extension one of Java's image readers handles (PNG, JPEG,
 * BMP, GIF, TIFF, WBMP). Anything else is refused with the path, so a typo cannot silently drop
 * data.
 */
final class TaskFolders {
  static final String SUPPORT = "support";
  static final String QUERY = "query";

  /** One class folder: its name and image files. */
  record ClassFolder(String name, List<Path> images) {}

  /** One task folder: its name and the classes of its two parts, in the same order. */
  record TaskFolder(String name, List<ClassFolder> support, List<ClassFolder> query) {}

  private TaskFolders() {}

  /**
   * The tasks of a directory, sorted by folder name.
   *
   * @param dir the tasks directory
   * @return the tasks
   * @throws DatasetException if the directory is missing or holds no task, a task lacks support/ or
   *     query/, their class folders differ, a class folder is empty, or a file is not an image
   */
  static List<TaskFolder> find(Path dir) throws DatasetException {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(
          "tasks directory '"
              + dir
              + "' does not exist; pass --dir DIR where DIR holds one"
              + " folder per task, each with support/<class>/ and query/<class>/ image folders");
    }
    List<TaskFolder> tasks = new ArrayList<>();
    for (Path task : list(dir)) {
      if (!Files.isDirectory(task)) {
        throw new DatasetException(
            "'"
                + task
                + "' is not a task folder; the tasks directory holds only task"
                + " folders (each with support/ and query/): move the file elsewhere");
      }
      tasks.add(readTask(task));
    }
    if (tasks.isEmpty()) {
      throw new DatasetException(
          "tasks directory '"
              + dir
              + "' holds no task folders; add DIR/<task>/support/<class>/"
              + " and DIR/<task>/query/<class>/ image folders");
    }
    return tasks;
  }

  private static TaskFolder readTask(Path task) throws DatasetException {
    for (Path entry : list(task)) {
      String name = entry.getFileName().toString();
      if (!(Files.isDirectory(entry) && (name.equals(SUPPORT) || name.equals(QUERY)))) {
        throw new DatasetException(
            "unexpected '"
                + entry
                + "' in task folder '"
                + task
                + "'; a task folder holds only support/ and query/: move it elsewhere");
      }
    }
    List<ClassFolder> support = readPart(task, SUPPORT);
    List<ClassFolder> query = readPart(task, QUERY);
    List<String> supportNames = support.stream().map(ClassFolder::name).toList();
    List<String> queryNames = query.stream().map(ClassFolder::name).toList();
    if (!supportNames.equals(queryNames)) {
      Set<String> missing = new TreeSet<>(supportNames);
      missing.removeAll(queryNames);
      Set<String> extra = new TreeSet<>(queryNames);
      extra.removeAll(supportNames);
      throw new DatasetException(
          "task '"
              + task
              + "': the class folders of query/ "
              + queryNames
              + " must have the same names as those of support/ "
              + supportNames
              + (missing.isEmpty() ? "" : "; missing in query/: " + missing)
              + (extra.isEmpty() ? "" : "; not in support/: " + extra));
    }
    return new TaskFolder(task.getFileName().toString(), support, query);
  }

  private static List<ClassFolder> readPart(Path task, String part) throws DatasetException {
    Path folder = task.resolve(part);
    if (!Files.isDirectory(folder)) {
      throw new DatasetException(
          "task folder '"
              + task
              + "' has no "
              + part
              + "/ folder; each task holds "
              + SUPPORT
              + "/<class>/ and "
              + QUERY
              + "/<class>/ image folders");
    }
    List<ClassFolder> classes = new ArrayList<>();
    for (Path classFolder : list(folder)) {
      if (!Files.isDirectory(classFolder)) {
        throw new DatasetException(
            "'"
                + classFolder
                + "' is not a class folder; "
                + part
                + "/ holds one folder of images per class: move the file into one");
      }
      List<Path> images = new ArrayList<>();
      for (Path file : list(classFolder)) {
        if (!Files.isRegularFile(file) || !isImageName(file)) {
          throw new DatasetException(
              "'"
                  + file
                  + "' is not an image file (readable: "
                  + readableSuffixes()
                  + "); a class folder holds only images: remove it");
        }
        images.add(file);
      }
      if (images.isEmpty()) {
        throw new DatasetException(
            "class folder '"
                + classFolder
                + "' holds no images; add some or remove the"
                + " class from support/ and query/");
      }
      classes.add(new ClassFolder(classFolder.getFileName().toString(), List.copyOf(images)));
    }
    if (classes.isEmpty()) {
      throw new DatasetException(
          "'" + folder + "' holds no class folders; add one folder of images per class");
    }
    return classes;
  }

  private static boolean isImageName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && readableSuffixes().contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static Set<String> readableSuffixes() {
    return Arrays.stream(ImageIO.getReaderFileSuffixes())
        .map(s -> s.toLowerCase(Locale.ROOT))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The entries of a folder that do not start with a dot, sorted by name. */
  private static List<Path> list(Path folder) throws DatasetException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list '" + folder + "': " + e.getMessage(), e);
    }
  }
}
