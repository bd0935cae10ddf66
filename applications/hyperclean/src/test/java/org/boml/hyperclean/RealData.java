package org.boml.hyperclean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.datasets.fashionmnist.LabeledImages;
import org.junit.jupiter.api.Assumptions;

/** Debian's Fashion-MNIST, read once per test JVM; tests are skipped where it is not installed. */
final class RealData {
  private static LabeledImages train;
  private static LabeledImages test;

  private RealData() {}

  static synchronized LabeledImages train() {
    load();
    return train;
  }

  static synchronized LabeledImages test() {
    load();
    return test;
  }

  private static void load() {
    Assumptions.assumeTrue(
        Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY),
        "Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist");
    if (train == null) {
      try {
        train = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY, FashionMnist.Part.TRAIN);
        test = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY, FashionMnist.Part.TEST);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
