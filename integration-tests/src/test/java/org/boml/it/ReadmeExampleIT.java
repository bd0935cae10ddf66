package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example compiles, as written, against the application's modules. */
class ReadmeExampleIT {
  private static final String IMPORTS =
      String.join(
          "\n",
          "import java.util.Map;",
          "import org.boml.api.*;",
          "import org.boml.runtime.plugin.PluginRegistry;",
          "import org.boml.runtime.train.*;");

  @Test
  void theJavaExampleCompiles(@TempDir Path temp) throws Exception {
    String body = JavaExamples.blocks("README.md").get(0);
    assertTrue(body.lines().count() <= 25, "the example should stay about 20 lines:\n" + body);
    JavaExamples.compile(
        temp,
        Map.of(
            "ReadmeExample",
            "package org.example;\n"
                + IMPORTS
                + "\npublic class ReadmeExample {\n  public static void main(String[] args) throws Exception {\n"
                + body
                + "  }\n}\n"));
  }
}
