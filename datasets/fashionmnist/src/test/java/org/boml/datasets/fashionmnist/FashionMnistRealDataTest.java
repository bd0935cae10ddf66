package org.boml.datasets.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The real files of Debian's {@code dataset-fashion-mnist} (CI installs the package): counts, the
 * balanced label histogram, the first labels and the sum of all pixels (computed with an
 * independent reader, numpy).
 */
class FashionMnistRealDataTest {
  @Test
  void theDebianFilesHaveTheKnownContents() throws IOException {
    if (!Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY)) {
      Assertions.fail(
          "Fashion-MNIST is not installed in "
              + FashionMnist.DEBIAN_DIRECTORY
              + ": apt-get install -y dataset-fashion-mnist (the README's set-up names it)");
    }
    LabeledImages train = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY, FashionMnist.Part.TRAIN);
    LabeledImages test = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY, FashionMnist.Part.TEST);
    assertEquals(60_000, train.count());
    assertEquals(10_000, test.count());
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, train.labels(0, 10));
    int[] trainHistogram = histogram(train);
    int[] testHistogram = histogram(test);
    for (int c = 0; c < FashionMnist.CLASSES; c++) {
      assertEquals(6_000, trainHistogram[c], "training images of class " + c);
      assertEquals(1_000, testHistogram[c], "test images of class " + c);
    }
    assertEquals(3_431_114_169L, pixelSum(train.images()));
    assertEquals(573_469_082L, pixelSum(test.images()));
  }

  private static int[] histogram(LabeledImages part) {
    int[] counts = new int[FashionMnist.CLASSES];
    for (int i = 0; i < part.count(); i++) {
      counts[part.label(i)]++;
    }
    return counts;
  }

  private static long pixelSum(IdxImages images) {
    long sum = 0;
    for (int i = 0; i < images.count(); i++) {
      for (int p = 0; p < images.pixelsPerImage(); p++) {
        sum += images.pixel(i, p);
      }
    }
    return sum;
  }
}
