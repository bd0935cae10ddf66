package org.boml.datasets.omniglot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.Task;
import org.boml.datasets.fewshot.ImageClass;
import org.junit.jupiter.api.Test;

/** The loader on the real Omniglot subsets (242 characters, 4,840 images). */
class OmniglotRealDataTest {
  /** The reference benchmark's checksum of the preprocessed pixels (Pillow LANCZOS, inverted). */
  private static final double REFERENCE_SUM = 319838.0199;

  @Test
  void preprocessingMatchesTheReferenceChecksum() throws DatasetException {
    List<ImageClass> characters = OmniglotProvider.load(SharedOmniglot.directory(), 28);
    assertEquals(242, characters.size(), "Greek and Latin occur in both archives and count once");
    double sum = 0;
    int images = 0;
    for (ImageClass character : characters) {
      assertEquals(20, character.images().size(), character.name());
      assertTrue(character.inverted(), character.name());
      for (int k = 0; k < character.images().size(); k++) {
        images++;
        float[] image = new float[28 * 28];
        character.copyImage(k, 1, 28, image, 0);
        for (float v : image) {
          assertTrue(v >= 0 && v <= 1);
          sum += v;
        }
      }
    }
    assertEquals(4840, images);
    assertEquals(REFERENCE_SUM, sum, 1e-3, "sum of all 28x28 pixels");
    assertEquals("Balinese/character01", characters.get(0).name());
  }

  private static Dataset open(Map<String, String> options) throws DatasetException {
    java.util.Map<String, String> all = new java.util.HashMap<>(options);
    all.put("data-dir", SharedOmniglot.directory().toString());
    return new OmniglotProvider().open(all);
  }

  @Test
  void episodesHaveDisjointSupportAndQueryAndRemappedLabels() throws DatasetException {
    try (NDManager manager = NDManager.newBaseManager();
        Dataset dataset = open(Map.of("split", "peer"))) {
      assertTrue(
          dataset.describe().contains("train 194 (776 classes with rotations)"),
          dataset.describe());
      assertTrue(dataset.describe().contains("test 48"), dataset.describe());
      Task task = dataset.sample(MetaSplit.TRAIN, 5, manager);
      assertEquals(new ai.djl.ndarray.types.Shape(5, 1, 28, 28), task.train().inputs().getShape());
      assertEquals(
          new ai.djl.ndarray.types.Shape(75, 1, 28, 28), task.validation().inputs().getShape());
      assertArrayEquals(new long[] {0, 1, 2, 3, 4}, task.train().targets().toLongArray());
      long[] queryLabels = task.validation().targets().toLongArray();
      assertEquals(0, queryLabels[0]);
      assertEquals(4, queryLabels[74]);
      float[] support = task.train().inputs().toFloatArray();
      float[] query = task.validation().inputs().toFloatArray();
      Set<Integer> supportImages = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        supportImages.add(
            java.util.Arrays.hashCode(
                java.util.Arrays.copyOfRange(support, i * 784, (i + 1) * 784)));
      }
      for (int i = 0; i < 75; i++) {
        int hash =
            java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(query, i * 784, (i + 1) * 784));
        assertTrue(!supportImages.contains(hash), "query image " + i + " repeats a support image");
      }
      assertArrayEquals(
          support, dataset.sample(MetaSplit.TRAIN, 5, manager).train().inputs().toFloatArray());
      assertNotEquals(
          java.util.Arrays.hashCode(support),
          java.util.Arrays.hashCode(
              dataset.sample(MetaSplit.TRAIN, 6, manager).train().inputs().toFloatArray()));
      assertThrows(
          IllegalStateException.class,
          () -> dataset.sample(MetaSplit.VALIDATION, 1, manager),
          "the peer split has no meta-validation characters");
    }
  }

  @Test
  void bomlSplitIsProportionalAndDisjoint() throws DatasetException {
    int count = 242;
    Set<Integer> seen = new HashSet<>();
    int[] sizes = new int[3];
    for (MetaSplit split : MetaSplit.values()) {
      List<Integer> indices = ClassSplit.BOML.indices(count, split, 0);
      sizes[split.ordinal()] = indices.size();
      for (int index : indices) {
        assertTrue(seen.add(index), "character " + index + " is in two splits");
      }
    }
    assertArrayEquals(new int[] {179, 15, 48}, sizes);
    assertEquals(count, seen.size());
    assertEquals(
        List.of(1200, 100, 323),
        List.of(
            ClassSplit.BOML.indices(1623, MetaSplit.TRAIN, 3).size(),
            ClassSplit.BOML.indices(1623, MetaSplit.VALIDATION, 3).size(),
            ClassSplit.BOML.indices(1623, MetaSplit.TEST, 3).size()));
    assertNotEquals(
        ClassSplit.BOML.indices(count, MetaSplit.TEST, 0),
        ClassSplit.BOML.indices(count, MetaSplit.TEST, 1));
    try (Dataset dataset = open(Map.of())) {
      assertTrue(dataset.describe().contains("validation 15"), dataset.describe());
    }
  }

  @Test
  void impossibleEpisodesAreRefusedWithTheNumbers() {
    DatasetException ways =
        assertThrows(DatasetException.class, () -> open(Map.of("ways", "60", "split", "peer")));
    assertTrue(
        ways.getMessage().contains("60-way") && ways.getMessage().contains("only 48"),
        ways.getMessage());
    DatasetException shots =
        assertThrows(DatasetException.class, () -> open(Map.of("shots", "10", "queries", "15")));
    assertTrue(
        shots.getMessage().contains("has 20 images") && shots.getMessage().contains("25"),
        shots.getMessage());
  }
}
