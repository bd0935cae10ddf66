package org.boml.datasets.omniglot;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;

/**
 * Where the real Omniglot subsets are: {@code BOML_OMNIGLOT_DIR}, else ../shared/data/omniglot. A
 * test that needs them fails, saying how to get them, where they are missing.
 */
final class SharedOmniglot {
  private SharedOmniglot() {}

  static Path directory() {
    String override = System.getenv("BOML_OMNIGLOT_DIR");
    Path dir =
        override != null
            ? Path.of(override)
            : Path.of(System.getProperty("basedir", "."))
                .resolve("../../../shared/data/omniglot")
                .normalize();
    if (!Files.isDirectory(dir)) {
      Assertions.fail(
          "real Omniglot data not found at "
              + dir
              + ": the tests read ../shared/data/omniglot beside the checkout, or"
              + " BOML_OMNIGLOT_DIR; put the official Omniglot folders or zips there"
              + " (./boml train --dataset omniglot --download --data-dir DIR fetches them)");
    }
    return dir;
  }
}
