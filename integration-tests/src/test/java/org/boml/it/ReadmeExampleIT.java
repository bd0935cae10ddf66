package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
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
    String readme =
        Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("../README.md"));
    int start = readme.indexOf("```java\n");
    assertTrue(start >= 0, "the README has no ```java block");
    int end = readme.indexOf("```", start + 8);
    String body = readme.substring(start + 8, end);
    assertTrue(body.lines().count() <= 25, "the example should stay about 20 lines:\n" + body);
    Path source = temp.resolve("src/org/example/ReadmeExample.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package org.example;\n"
            + IMPORTS
            + "\npublic class ReadmeExample {\n  public static void main(String[] args) throws Exception {\n"
            + body
            + "  }\n}\n");
    Path moduleInfo = temp.resolve("src/module-info.java");
    Files.writeString(moduleInfo, "module org.example { requires org.boml.runtime; }\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status =
        javac.run(
            null,
            null,
            errors,
            "-d",
            temp.resolve("out").toString(),
            "--module-path",
            AppLayout.path(AppLayout.modules()),
            moduleInfo.toString(),
            source.toString());
    assertTrue(
        status == 0,
        "the README example does not compile:\n"
            + errors.toString(StandardCharsets.UTF_8)
            + "\n"
            + body);
  }
}
