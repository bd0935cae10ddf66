package org.boml.datasets.omniglot;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the real Omniglot subsets are: {@code BOML_OMNIGLOT_DIR}, else ../shared/data/omniglot. */
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
    Assumptions.assumeTrue(Files.isDirectory(dir), "real Omniglot data not found at " + dir);
    return dir;
  }
}
