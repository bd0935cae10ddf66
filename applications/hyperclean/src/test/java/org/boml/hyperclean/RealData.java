package org.boml.hyperclean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.datasets.fashionmnist.LabeledImages;
import org.junit.jupiter.api.Assertions;

/**
 * Debian's Fashion-MNIST, read once per test JVM; a test that needs it fails with the install
 * command where it is not installed.
 */
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
    if (!Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY)) {
      Assertions.fail(
          "Fashion-MNIST is not installed in "
              + FashionMnist.DEBIAN_DIRECTORY
              + ": apt-get install -y dataset-fashion-mnist (the README's set-up names it)");
    }
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
