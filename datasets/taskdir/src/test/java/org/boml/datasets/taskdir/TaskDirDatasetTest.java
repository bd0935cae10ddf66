package org.boml.datasets.taskdir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.runtime.train.Evaluation;
import org.boml.runtime.train.MetaLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader on two tasks written at test time: {@code b-three} with classes created in the order
 * zebra, apple, mango (so labels apple=0, mango=1, zebra=2) and {@code a-five} with classes c0..c4.
 * Every image is a uniform gray PNG of a varying size whose value tells task, label, part and
 * index: {@code 20 + 40 label + 4 index + 2 (query) + task}.
 */
class TaskDirDatasetTest {
  private static final int[][] SIZES = {{20, 30}, {64, 48}, {7, 9}, {28, 28}};

  @TempDir Path dir;

  private static int value(int task, int label, boolean query, int index) {
    return 20 + 40 * label + 4 * index + (query ? 2 : 0) + task;
  }

  /** Writes task {@code taskIndex} (in sorted order) with the given class folder names. */
  private void writeTask(
      String name, int taskIndex, List<String> classes, int supportPerClass, int queryPerClass)
      throws IOException {
    List<String> sorted = classes.stream().sorted().toList();
    for (String className : classes) {
      int label = sorted.indexOf(className);
      for (boolean query : new boolean[] {false, true}) {
        Path folder =
            Files.createDirectories(
                dir.resolve(name).resolve(query ? "query" : "support").resolve(className));
        int count = query ? queryPerClass : supportPerClass;
        for (int k = 0; k < count; k++) {
          int[] size = SIZES[(label + k) % SIZES.length];
          writeGray(
              folder.resolve("img" + k + ".png"),
              size[0],
              size[1],
              value(taskIndex, label, query, k));
        }
      }
    }
  }

  private static void writeGray(Path file, int width, int height, int gray) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (gray << 16) | (gray << 8) | gray);
      }
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private void writeFixture() throws IOException {
    writeTask("b-three", 1, List.of("zebra", "apple", "mango"), 2, 3);
    writeTask("a-five", 0, List.of("c0", "c1", "c2", "c3", "c4"), 1, 2);
  }

  private Dataset open(Map<String, String> options) throws DatasetException {
    Map<String, String> all = new HashMap<>(options);
    all.putIfAbsent("dir", dir.toString());
    return new TaskDirProvider().open(all);
  }

  private static void assertPart(
      int task, boolean query, int perClass, int classes, Task episode, int size) {
    var split = query ? episode.validation() : episode.train();
    int n = perClass * classes;
    assertEquals(new Shape(n, 1, size, size), split.inputs().getShape());
    assertEquals(DataType.FLOAT32, split.inputs().getDataType());
    assertEquals(DataType.INT64, split.targets().getDataType());
    long[] labels = new long[n];
    float[] pixels = split.inputs().toFloatArray();
    for (int i = 0; i < n; i++) {
      labels[i] = i / perClass;
      float expected = value(task, i / perClass, query, i % perClass) / 255f;
      for (int p = 0; p < size * size; p++) {
        assertEquals(
            expected,
            pixels[i * size * size + p],
            "task " + task + (query ? " query " : " support ") + i);
      }
    }
    assertArrayEquals(labels, split.targets().toLongArray());
  }

  @Test
  void tasksComeInFolderOrderWithLabelsInClassFolderOrder() throws Exception {
    writeFixture();
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of())) {
      assertEquals(OptionalInt.of(2), dataset.fixedEpisodes());
      assertEquals(5, dataset.outputs(), "the largest class count over the tasks");
      assertEquals(new Shape(1, 28, 28), dataset.inputShape());
      assertEquals(TaskKind.CLASSIFICATION, dataset.taskKind());
      assertEquals(List.of("a-five", "b-three"), ((TaskDirDataset) dataset).taskNames());
      assertTrue(dataset.describe().contains("2 tasks, 3-5 classes"), dataset.describe());
      Task five = dataset.sample(MetaSplit.TEST, 0, manager);
      assertPart(0, false, 1, 5, five, 28);
      assertPart(0, true, 2, 5, five, 28);
      Task three = dataset.sample(MetaSplit.TEST, 1, manager);
      assertPart(1, false, 2, 3, three, 28);
      assertPart(1, true, 3, 3, three, 28);
      for (MetaSplit split : MetaSplit.values()) {
        assertArrayEquals(
            three.validation().inputs().toFloatArray(),
            dataset.sample(split, 1, manager).validation().inputs().toFloatArray(),
            "every split gives task 1");
      }
      for (long missing : new long[] {-1, 2}) {
        IllegalArgumentException error =
            assertThrows(
                IllegalArgumentException.class,
                () -> dataset.sample(MetaSplit.TEST, missing, manager));
        assertTrue(error.getMessage().contains("has 2 tasks"), error.getMessage());
      }
    }
  }

  @Test
  void imagesAreResizedAndInvertedOnRequest() throws Exception {
    writeFixture();
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of("image-size", "9", "invert", "true"))) {
      assertEquals(new Shape(1, 9, 9), dataset.inputShape());
      float[] support = dataset.sample(MetaSplit.TEST, 1, manager).train().inputs().toFloatArray();
      assertEquals(6 * 81, support.length);
      assertEquals(
          1 - value(1, 2, false, 1) / 255f,
          support[5 * 81 + 40],
          1e-7,
          "zebra's second image, inverted");
    }
  }

  @Test
  void colorImagesGiveChannelMajorRgbRowMajorPixels() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("t").resolve("support").resolve("x"));
    Files.createDirectories(dir.resolve("t").resolve("query").resolve("x"));
    // left half (r, g, b) = (250, 120, 10), right half (0, 60, 200); a 6x6 image at image-size 6
    // keeps
    // every pixel, so channel order and orientation are visible; the query holds the same as a BMP
    BufferedImage image = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        image.setRGB(x, y, x < 3 ? (250 << 16) | (120 << 8) | 10 : (60 << 8) | 200);
      }
    }
    ImageIO.write(image, "png", folder.resolve("a.png").toFile());
    ImageIO.write(
        image, "bmp", dir.resolve("t").resolve("query").resolve("x").resolve("b.bmp").toFile());
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of("channels", "3", "image-size", "6"))) {
      assertEquals(new Shape(3, 6, 6), dataset.inputShape());
      assertEquals(1, dataset.outputs());
      Task task = dataset.sample(MetaSplit.TEST, 0, manager);
      for (float[] pixels :
          List.of(
              task.train().inputs().toFloatArray(), task.validation().inputs().toFloatArray())) {
        assertEquals(3 * 36, pixels.length);
        int[][] left = {{250}, {120}, {10}};
        int[][] right = {{0}, {60}, {200}};
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
              int expected = x < 3 ? left[c][0] : right[c][0];
              assertEquals(
                  expected / 255f,
                  pixels[c * 36 + y * 6 + x],
                  "channel " + c + " row " + y + " column " + x);
            }
          }
        }
      }
    }
  }

  /** The runtime's evaluation visits each task once, with a model of the task's class count. */
  @Test
  void theRuntimeEvaluatesEveryTaskOnce() throws Exception {
    writeFixture();
    List<Integer> modelsBuilt = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (Dataset dataset = open(Map.of("image-size", "12"));
        MetaLearner learner =
            MetaLearner.builder()
                .dataset(dataset)
                .model(new ConvNet(dataset.inputShape(), 2, 4, false, dataset.outputs()))
                .modelForOutputs(
                    classes -> {
                      modelsBuilt.add(classes);
                      return new ConvNet(dataset.inputShape(), 2, 4, false, classes);
                    })
                .dynamics("gd", new GradientDescent(0.1))
                .hypergradient(
                    "unused",
                    (problem, dynamics, x, steps, d) -> {
                      throw new AssertionError("evaluation needs no hypergradient");
                    })
                .innerSteps(1)
                .workers(1)
                .seed(3)
                .build()) {
      Evaluation evaluation = learner.evaluate(MetaSplit.TEST, 600, 1);
      assertEquals(2, evaluation.afterAdaptation().count(), "one result per task folder, not 600");
      assertEquals(
          List.of(3),
          modelsBuilt,
          "the 3-way task gets a 3-output model, the 5-way one the trained model");
      assertTrue(
          evaluation.afterAdaptation().mean() >= 0 && evaluation.afterAdaptation().mean() <= 1);
    }
  }

  private DatasetException refused(Map<String, String> options) {
    return assertThrows(DatasetException.class, () -> open(options).close());
  }

  private static void assertMentions(DatasetException error, String... parts) {
    for (String part : parts) {
      assertTrue(
          error.getMessage().contains(part), "'" + part + "' missing from: " + error.getMessage());
    }
  }

  @Test
  void aMissingOrEmptyDirectoryIsRefused() throws IOException {
    assertMentions(refused(Map.of("dir", "")), "--dir");
    Path missing = dir.resolve("nowhere");
    assertMentions(
        refused(Map.of("dir", missing.toString())), missing.toString(), "does not exist");
    Files.createDirectories(dir.resolve(".hidden"));
    assertMentions(refused(Map.of()), "holds no task folders");
    Files.writeString(dir.resolve("README.txt"), "my tasks");
    assertMentions(refused(Map.of()), "README.txt", "is not a task folder");
  }

  @Test
  void aTaskWithoutSupportOrQueryIsRefused(@TempDir Path aside) throws IOException {
    writeFixture();
    Path query = dir.resolve("b-three").resolve("query");
    Files.move(query, dir.resolve("b-three").resolve("queries"));
    assertMentions(refused(Map.of()), "queries", "holds only support/ and query/");
    Files.move(dir.resolve("b-three").resolve("queries"), aside.resolve("query"));
    assertMentions(refused(Map.of()), "b-three", "has no query/ folder");
    Files.move(aside.resolve("query"), query);
    Files.move(dir.resolve("a-five").resolve("support"), aside.resolve("support"));
    assertMentions(refused(Map.of()), "a-five", "has no support/ folder");
  }

  @Test
  void queryClassesMustBeTheSupportClasses() throws IOException {
    writeFixture();
    Path query = dir.resolve("b-three").resolve("query");
    Files.move(query.resolve("mango"), query.resolve("mango2"));
    assertMentions(
        refused(Map.of()), "b-three", "missing in query/: [mango]", "not in support/: [mango2]");
  }

  @Test
  void anEmptyClassFolderIsRefused() throws IOException {
    writeFixture();
    Path empty = Files.createDirectories(dir.resolve("a-five").resolve("support").resolve("c5"));
    Files.createDirectories(dir.resolve("a-five").resolve("query").resolve("c5"));
    assertMentions(refused(Map.of()), empty.toString(), "holds no images");
  }

  @Test
  void aNonImageFileIsRefusedByName() throws IOException {
    writeFixture();
    Path notes = dir.resolve("a-five").resolve("query").resolve("c2").resolve("notes.txt");
    Files.writeString(notes, "not an image");
    assertMentions(refused(Map.of()), notes.toString(), "is not an image file", "png");
    Files.delete(notes);
    Path stray = dir.resolve("a-five").resolve("support").resolve("stray.png");
    writeGray(stray, 4, 4, 9);
    assertMentions(refused(Map.of()), stray.toString(), "is not a class folder");
  }

  @Test
  void aCorruptImageIsRefusedByName() throws IOException {
    writeFixture();
    Path corrupt = dir.resolve("b-three").resolve("support").resolve("apple").resolve("img1.png");
    Files.write(corrupt, "\u0089PNG garbage".getBytes(StandardCharsets.ISO_8859_1));
    assertMentions(refused(Map.of()), corrupt.toString(), "cannot decode");
  }

  @Test
  void badOptionsAreRefused() {
    IllegalArgumentException channels =
        assertThrows(IllegalArgumentException.class, () -> open(Map.of("channels", "2")));
    assertTrue(channels.getMessage().contains("channels"), channels.getMessage());
    IllegalArgumentException invert =
        assertThrows(IllegalArgumentException.class, () -> open(Map.of("invert", "yes")));
    assertTrue(invert.getMessage().contains("invert"), invert.getMessage());
  }
}
