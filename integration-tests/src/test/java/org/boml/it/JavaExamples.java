package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Java examples in the documentation, compiled as written: the {@code ```java} blocks of a Markdown
 * file, compiled in a module {@code org.example} that requires {@code org.boml.runtime} and {@code
 * org.boml.cli} (the run directories), against the application's modules.
 */
final class JavaExamples {
  /** The examples' module. */
  static final String MODULE = "org.example";

  private JavaExamples() {}

  /** The bodies of the {@code ```java} blocks of a Markdown file of the repository. */
  static List<String> blocks(String markdown) throws IOException {
    String text =
        Files.readString(
            Path.of(System.getProperty("basedir", ".")).resolve("..").resolve(markdown));
    List<String> blocks = new ArrayList<>();
    int start = text.indexOf("```java\n");
    while (start >= 0) {
      int end = text.indexOf("```", start + 8);
      blocks.add(text.substring(start + 8, end));
      start = text.indexOf("```java\n", end + 3);
    }
    assertTrue(!blocks.isEmpty(), markdown + " has no ```java block");
    return blocks;
  }

  /**
   * Compiles classes of package {@code org.example} and fails with javac's messages if they do not
   * compile.
   *
   * @param temp a scratch directory
   * @param sources each class's simple name and source
   * @return the directory of the compiled module
   */
  static Path compile(Path temp, Map<String, String> sources) throws IOException {
    Path source = temp.resolve("src");
    Files.createDirectories(source.resolve("org/example"));
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-d",
                temp.resolve("out").toString(),
                "--module-path",
                AppLayout.path(AppLayout.modules())));
    Path moduleInfo = source.resolve("module-info.java");
    Files.writeString(
        moduleInfo,
        "module " + MODULE + " { requires org.boml.runtime; requires org.boml.cli; }\n");
    arguments.add(moduleInfo.toString());
    for (Map.Entry<String, String> entry : sources.entrySet()) {
      Path file = source.resolve("org/example/" + entry.getKey() + ".java");
      Files.writeString(file, entry.getValue());
      arguments.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, null, errors, arguments.toArray(String[]::new));
    assertTrue(
        status == 0,
        "the examples do not compile:\n"
            + errors.toString(StandardCharsets.UTF_8)
            + "\n"
            + String.join("\n", sources.values()));
    return temp.resolve("out");
  }
}
