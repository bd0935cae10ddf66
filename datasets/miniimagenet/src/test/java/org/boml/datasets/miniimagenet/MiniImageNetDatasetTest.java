package org.boml.datasets.miniimagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on a small fixture written at test time in the Ravi and Larochelle layout. */
class MiniImageNetDatasetTest {
  private static final int PIXELS = 3 * 84 * 84;

  @TempDir Path dir;

  private Dataset open(Map<String, String> options) throws DatasetException {
    Map<String, String> all = new HashMap<>(options);
    all.putIfAbsent("data-dir", dir.toString());
    return new MiniImageNetProvider().open(all);
  }

  private Dataset openSmall() throws DatasetException {
    return open(Map.of("ways", "2", "shots", "1", "queries", "2"));
  }

  /** (class, image) of one image of an episode, read back from its uniform color. */
  private static int[] identify(float[] pixels, int index, int size) {
    int plane = size * size;
    int offset = index * 3 * plane;
    double red = mean(pixels, offset, plane) * 255;
    double green = mean(pixels, offset + plane, plane) * 255;
    int c = (int) Math.round((red - 16) / 28);
    int k = (int) Math.round((green - 20) / 40);
    assertTrue(
        Math.abs(red - Fixture.red(c)) < 4 && Math.abs(green - Fixture.green(k)) < 4,
        "image " + index + " has color " + red + "," + green + ", not one of the fixture's");
    return new int[] {c, k};
  }

  private static double mean(float[] values, int offset, int length) {
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += values[offset + i];
    }
    return sum / length;
  }

  @Test
  void episodesHaveTheShapesLabelsAndClassesOfTheirSplit() throws DatasetException {
    Fixture.write(dir);
    Map<MetaSplit, Set<Integer>> expected =
        Map.of(
            MetaSplit.TRAIN,
            Set.of(0, 1, 2, 3),
            MetaSplit.VALIDATION,
            Set.of(4, 5),
            MetaSplit.TEST,
            Set.of(6, 7));
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = openSmall()) {
      assertEquals(new Shape(3, 84, 84), dataset.inputShape());
      assertEquals(2, dataset.outputs());
      assertEquals(TaskKind.CLASSIFICATION, dataset.taskKind());
      assertTrue(dataset.fixedEpisodes().isEmpty());
      assertTrue(
          dataset
              .describe()
              .contains("train 4 (24 images), validation 2 (12 images), test 2 (12 images)"),
          dataset.describe());
      for (MetaSplit split : MetaSplit.values()) {
        Set<Integer> seen = new TreeSet<>();
        for (long seed = 0; seed < 12; seed++) {
          Task task = dataset.sample(split, seed, manager);
          assertEquals(new Shape(2, 3, 84, 84), task.train().inputs().getShape());
          assertEquals(new Shape(4, 3, 84, 84), task.validation().inputs().getShape());
          assertEquals(DataType.FLOAT32, task.train().inputs().getDataType());
          assertArrayEquals(new long[] {0, 1}, task.train().targets().toLongArray());
          assertArrayEquals(new long[] {0, 0, 1, 1}, task.validation().targets().toLongArray());
          float[] support = task.train().inputs().toFloatArray();
          float[] query = task.validation().inputs().toFloatArray();
          Set<List<Integer>> images = new HashSet<>();
          int[] classOfLabel = new int[2];
          for (int i = 0; i < 2; i++) {
            int[] id = identify(support, i, 84);
            classOfLabel[i] = id[0];
            assertTrue(images.add(List.of(id[0], id[1])));
          }
          assertTrue(classOfLabel[0] != classOfLabel[1], "two labels for one class");
          for (int i = 0; i < 4; i++) {
            int[] id = identify(query, i, 84);
            assertEquals(classOfLabel[i / 2], id[0], "query " + i + " is not of its label's class");
            assertTrue(
                images.add(List.of(id[0], id[1])),
                "query " + i + " repeats an image of the episode");
          }
          seen.add(classOfLabel[0]);
          seen.add(classOfLabel[1]);
          for (float v : support) {
            assertTrue(v >= 0 && v <= 1);
          }
        }
        assertEquals(
            expected.get(split), seen, split + " tasks must use exactly the classes of its csv");
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameTaskAndAnotherSeedAnother() throws DatasetException {
    Fixture.write(dir);
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = openSmall();
        Dataset again = openSmall()) {
      Task task = dataset.sample(MetaSplit.TRAIN, 7, manager);
      Task same = again.sample(MetaSplit.TRAIN, 7, manager);
      assertArrayEquals(task.train().inputs().toFloatArray(), same.train().inputs().toFloatArray());
      assertArrayEquals(
          task.validation().inputs().toFloatArray(), same.validation().inputs().toFloatArray());
      boolean differs = false;
      for (long seed = 8; seed < 12 && !differs; seed++) {
        differs =
            !java.util.Arrays.equals(
                task.validation().inputs().toFloatArray(),
                dataset
                    .sample(MetaSplit.TRAIN, seed, manager)
                    .validation()
                    .inputs()
                    .toFloatArray());
      }
      assertTrue(differs, "four other seeds all gave the same task");
    }
  }

  @Test
  void aUniformImageKeepsItsColorAfterResizingChannelMajor() throws DatasetException, IOException {
    Fixture.write(dir);
    int c = 2;
    int k = 3;
    Path file = dir.resolve("images").resolve(Fixture.file(c, k));
    int[] decoded = Fixture.decodedColor(file);
    assertTrue(
        Math.abs(decoded[0] - Fixture.red(c)) <= 3 && Math.abs(decoded[1] - Fixture.green(k)) <= 3,
        "the JPEG round trip changed the color too much: " + java.util.Arrays.toString(decoded));
    for (int size : new int[] {84, 32}) {
      PackedClass imageClass = MiniImageNetProvider.load(dir, size).get(MetaSplit.TRAIN).get(c);
      assertEquals(Fixture.label(c), imageClass.label());
      assertEquals(Fixture.PER_CLASS, imageClass.images().size());
      float[] pixels = new float[3 * size * size];
      imageClass.copyImage(k, pixels, 0);
      for (int channel = 0; channel < 3; channel++) {
        for (int i = 0; i < size * size; i++) {
          assertEquals(
              decoded[channel] / 255f,
              pixels[channel * size * size + i],
              "size " + size + ", channel " + channel + ", pixel " + i);
        }
      }
    }
  }

  @Test
  void theImageSizeOptionResizes() throws DatasetException {
    Fixture.write(dir);
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset =
            open(Map.of("ways", "2", "shots", "2", "queries", "1", "image-size", "21"))) {
      assertEquals(new Shape(3, 21, 21), dataset.inputShape());
      Task task = dataset.sample(MetaSplit.TEST, 1, manager);
      assertEquals(new Shape(4, 3, 21, 21), task.train().inputs().getShape());
      assertArrayEquals(new long[] {0, 0, 1, 1}, task.train().targets().toLongArray());
      assertEquals(new Shape(2, 3, 21, 21), task.validation().inputs().getShape());
    }
  }

  @Test
  void anUnusableValidationSplitIsReportedWhenSampled() throws DatasetException, IOException {
    Fixture.write(dir);
    // move class 4 from val.csv to test.csv: validation keeps 1 class, test gets 3
    Path val = dir.resolve("val.csv");
    List<String> rows = Files.readAllLines(val);
    List<String> moved = rows.subList(1, 1 + Fixture.PER_CLASS);
    Files.write(dir.resolve("test.csv"), moved, StandardOpenOption.APPEND);
    moved.clear();
    Files.write(val, rows);
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of("ways", "3", "queries", "2"))) {
      assertEquals(
          new Shape(3, 3, 84, 84),
          dataset.sample(MetaSplit.TEST, 0, manager).train().inputs().getShape());
      IllegalStateException validation =
          assertThrows(
              IllegalStateException.class, () -> dataset.sample(MetaSplit.VALIDATION, 1, manager));
      assertTrue(
          validation.getMessage().contains("val.csv") && validation.getMessage().contains("only 1"),
          validation.getMessage());
    }
  }

  @Test
  void decodesOncePerJvmAndNoticesAnEditedSplit() throws DatasetException, IOException {
    Fixture.write(dir);
    Map<MetaSplit, List<PackedClass>> first = MiniImageNetProvider.load(dir, 84);
    // spoil an image: a second open at the same size must not decode it again
    Path spoiled = dir.resolve("images").resolve(Fixture.file(3, 1));
    byte[] original = Files.readAllBytes(spoiled);
    Files.write(spoiled, new byte[] {1, 2, 3});
    assertSame(first, MiniImageNetProvider.load(dir, 84));
    assertThrows(
        DatasetException.class,
        () -> MiniImageNetProvider.load(dir, 40),
        "another size decodes again");
    Files.write(spoiled, original);
    assertNotSame(first, MiniImageNetProvider.load(dir, 40));
    Fixture.writeJpeg(dir.resolve("images").resolve("extra.jpg"), 200, 100, 50);
    Files.writeString(
        dir.resolve("test.csv"), "extra.jpg," + Fixture.label(6) + "\n", StandardOpenOption.APPEND);
    Map<MetaSplit, List<PackedClass>> edited = MiniImageNetProvider.load(dir, 84);
    assertNotSame(first, edited);
    assertEquals(7, edited.get(MetaSplit.TEST).get(0).images().size());
  }

  private DatasetException refused(Map<String, String> options) {
    DatasetException error = assertThrows(DatasetException.class, () -> open(options).close());
    assertFalse(error.getMessage().isBlank());
    return error;
  }

  private static void assertMentions(DatasetException error, String... parts) {
    for (String part : parts) {
      assertTrue(
          error.getMessage().contains(part), "'" + part + "' missing from: " + error.getMessage());
    }
  }

  @Test
  void aMissingDirectoryOrImagesFolderIsNamed() throws IOException {
    assertMentions(refused(Map.of("data-dir", "")), "--data-dir");
    Path missing = dir.resolve("nowhere");
    assertMentions(
        refused(Map.of("data-dir", missing.toString())), missing.toString(), "does not exist");
    Fixture.write(dir);
    Files.move(dir.resolve("images"), dir.resolve("pictures"));
    assertMentions(refused(Map.of()), "no images/ folder");
  }

  @Test
  void aMissingCsvIsNamed() throws IOException {
    Fixture.write(dir);
    Files.delete(dir.resolve("val.csv"));
    assertMentions(refused(Map.of()), dir.resolve("val.csv").toString(), "is missing");
  }

  @Test
  void aRowWhoseImageIsMissingIsNamedWithItsLine() throws IOException {
    Fixture.write(dir);
    Files.delete(dir.resolve("images").resolve(Fixture.file(1, 4)));
    // class 1's fifth image is row 1 + 6 + 5 = 12 of train.csv
    assertMentions(refused(Map.of()), "train.csv line 12", Fixture.file(1, 4), "does not exist");
  }

  @Test
  void malformedLinesAreNamedWithTheirNumber() throws IOException {
    Fixture.write(dir);
    Path test = dir.resolve("test.csv");
    List<String> lines = Files.readAllLines(test);
    lines.add(3, Fixture.file(6, 0));
    Files.write(test, lines);
    assertMentions(
        refused(Map.of()), "test.csv line 4 is malformed", "'" + Fixture.file(6, 0) + "'");
    lines.set(3, "a.jpg,n1,extra");
    Files.write(test, lines);
    assertMentions(refused(Map.of()), "test.csv line 4 is malformed");
    lines.set(3, "../escape.jpg,n1");
    Files.write(test, lines);
    assertMentions(refused(Map.of()), "test.csv line 4 is malformed");
    lines.remove(3);
    lines.set(0, "file,class");
    Files.write(test, lines);
    assertMentions(refused(Map.of()), "test.csv line 1", "'filename,label'", "'file,class'");
  }

  @Test
  void aCorruptImageIsNamed() throws IOException {
    Fixture.write(dir);
    Path corrupt = dir.resolve("images").resolve(Fixture.file(5, 2));
    Files.write(corrupt, "this is not a JPEG".getBytes(StandardCharsets.US_ASCII));
    assertMentions(refused(Map.of()), corrupt.toString(), "cannot decode");
    Fixture.write(dir);
    Path truncated = dir.resolve("images").resolve(Fixture.file(6, 1));
    byte[] whole = Files.readAllBytes(truncated);
    int scan = 0; // cut the file halfway through its entropy-coded data, after the SOS marker
    for (int i = 0; i + 1 < whole.length; i++) {
      if ((whole[i] & 0xFF) == 0xFF && (whole[i + 1] & 0xFF) == 0xDA) {
        scan = i;
      }
    }
    Files.write(truncated, java.util.Arrays.copyOf(whole, scan + (whole.length - scan) / 2));
    assertMentions(refused(Map.of()), truncated.toString(), "truncated");
  }

  /** ImageNet holds some grayscale JPEGs: their gray is kept and repeated in the three channels. */
  @Test
  void aGrayscaleJpegBecomesGrayRgb() throws DatasetException, IOException {
    Fixture.write(dir);
    java.awt.image.BufferedImage gray =
        new java.awt.image.BufferedImage(50, 40, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 50; x++) {
        gray.getRaster().setSample(x, y, 0, 90);
      }
    }
    javax.imageio.ImageIO.write(
        gray, "jpg", dir.resolve("images").resolve(Fixture.file(0, 0)).toFile());
    float[] pixels = new float[PIXELS];
    MiniImageNetProvider.load(dir, 84).get(MetaSplit.TRAIN).get(0).copyImage(0, pixels, 0);
    for (float v : pixels) {
      assertEquals(90, v * 255, 1.01, "gray 90 in every channel");
    }
  }

  @Test
  void impossibleEpisodesAreRefusedWithTheNumbers() throws IOException {
    Fixture.write(dir);
    assertMentions(refused(Map.of()), "5-way", "only 4", "train.csv", "--ways");
    assertMentions(
        refused(Map.of("ways", "2", "shots", "3", "queries", "4")),
        "has 6 images",
        "need 7",
        "train.csv");
    assertMentions(refused(Map.of("ways", "3", "queries", "2")), "3-way", "test.csv", "only 2");
    IllegalArgumentException badOption =
        assertThrows(IllegalArgumentException.class, () -> open(Map.of("shots", "0")));
    assertTrue(badOption.getMessage().contains("shots"), badOption.getMessage());
  }

  @Test
  void splitsMustNotShareClassesOrImages() throws IOException {
    Fixture.write(dir);
    Path val = dir.resolve("val.csv");
    Files.writeString(
        val, Fixture.file(7, 0) + "," + Fixture.label(0) + "\n", StandardOpenOption.APPEND);
    assertMentions(
        refused(Map.of()), "class " + Fixture.label(0), "train.csv line 2", "val.csv line 14");
    Fixture.write(dir);
    Files.writeString(
        val, Fixture.file(0, 0) + "," + Fixture.label(4) + "\n", StandardOpenOption.APPEND);
    assertMentions(refused(Map.of()), "image " + Fixture.file(0, 0) + " is listed twice");
  }

  @Test
  void blankLinesByteOrderMarkAndWindowsLineEndsAreAccepted() throws IOException, DatasetException {
    Fixture.write(dir);
    Path train = dir.resolve("train.csv");
    String text = "\uFEFF" + String.join("\r\n", Files.readAllLines(train)) + "\r\n\r\n";
    Files.writeString(train, text);
    try (Dataset dataset = openSmall()) {
      assertTrue(dataset.describe().contains("train 4 (24 images)"), dataset.describe());
    }
  }
}
