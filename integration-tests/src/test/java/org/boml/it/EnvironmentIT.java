package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in environments that differ from the developer's: no temporary directory, a
 * locale without UTF-8, a tiny heap. Each ends in a working run or a one-line error that names the
 * setting and the fix, never in a misdiagnosis or a stack trace.
 */
class EnvironmentIT {
  private static final Map<String, String> POSIX = Map.of("LANG", "POSIX", "LC_ALL", "POSIX");

  private static final String[] SHORT_SINUSOID = {
    "train", "--dataset", "sinusoid", "--iterations", "2", "--eval-episodes", "2", "--json"
  };

  private static String[] with(String[] first, String... more) {
    return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
  }

  /**
   * With {@code java.io.tmpdir} missing, good Omniglot images were reported as corrupt ("replace or
   * remove it"); BOML needs no temporary directory, so the run trains and writes all its files,
   * each with mode 0644 (the umask of the build is 022).
   */
  @Test
  void aMissingTemporaryDirectoryDoesNotStopATrainingOnOmniglot(@TempDir Path temp)
      throws IOException {
    Path run = temp.resolve("run");
    Path missing = temp.resolve("no-such-tmpdir");
    CliResult result =
        BomlCli.run(
            Map.of("JDK_JAVA_OPTIONS", "-Djava.io.tmpdir=" + missing),
            OmniglotCli.train(run, "--iterations", "1", "--eval-episodes", "2"));
    assertEquals(0, result.exitCode(), result.toString());
    assertFalse(result.stderr().contains("replace or remove"), result.toString());
    List<String> expected =
        List.of(
            ".lock",
            "accuracy.png",
            "checkpoint.safetensors",
            "config.json",
            "index.html",
            "loss.png",
            "meta-parameters.safetensors",
            "metrics.jsonl",
            "result.json");
    try (Stream<Path> files = Files.list(run)) {
      assertEquals(
          expected, files.map(p -> p.getFileName().toString()).sorted().toList(), "the files");
    }
    for (String name : expected) {
      assertEquals(
          "rw-r--r--",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve(name))),
          name);
    }
  }

  /**
   * Under LANG=POSIX Java decodes arguments as ASCII, and a non-ASCII run directory failed with
   * {@code InvalidPathException: Malformed input}. Java alone refuses it with the fix; the launcher
   * switches to C.UTF-8 where installed, and the run works.
   */
  @Test
  void aNonAsciiPathUnderLangPosix(@TempDir Path temp) throws IOException {
    assumeTrue(
        "UTF-8".equals(System.getProperty("sun.jnu.encoding")),
        "the test's own JVM needs a UTF-8 locale to name a non-ASCII directory");
    Path run = temp.resolve("r\u00fcn-\u03b1");
    CliResult refused = BomlCli.run(POSIX, with(SHORT_SINUSOID, "--out", run.toString()));
    assertEquals(2, refused.exitCode(), refused.toString());
    assertTrue(refused.stderr().contains("holds characters that were lost"), refused.toString());
    assertTrue(refused.stderr().contains("LC_ALL=C.UTF-8"), refused.toString());
    assertFalse(refused.stderr().contains("InvalidPathException"), refused.toString());
    assertFalse(Files.exists(run), "nothing is written");

    CliResult launched = BomlCli.launch(POSIX, with(SHORT_SINUSOID, "--out", run.toString()));
    if (cUtf8Installed()) {
      assertEquals(0, launched.exitCode(), launched.toString());
      assertTrue(Files.isRegularFile(run.resolve("result.json")), launched.toString());
    } else {
      assertEquals(2, launched.exitCode(), launched.toString());
      assertTrue(launched.stderr().contains("LC_ALL=C.UTF-8"), launched.toString());
    }
  }

  /**
   * BOML_HEAP=10m gave a raw OutOfMemoryError trace; now one line names the setting. (With the
   * launcher's serial collector the short sinusoid run fits in 10 MiB, and 6 MiB did not: 4 MiB is
   * safely too small.)
   */
  @Test
  void aHeapTooSmallIsToldInOneLineNamingBomlHeap() {
    CliResult result = BomlCli.launch(Map.of("BOML_HEAP", "4m"), SHORT_SINUSOID);
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(
        result
                .stderr()
                .contains("boml: out of memory (Java heap space) with a Java heap of at most")
            && result.stderr().contains("BOML_HEAP=8g"),
        result.toString());
    assertFalse(result.stderr().contains("\tat "), "no stack trace: " + result);
    assertFalse(result.stderr().contains("Exception in thread"), result.toString());
    assertFalse(result.stdout().contains("[warning]"), "no JVM warnings: " + result);
  }

  private static boolean cUtf8Installed() throws IOException {
    Process process = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
    String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return listing
        .lines()
        .anyMatch(line -> line.equalsIgnoreCase("C.utf8") || line.equalsIgnoreCase("C.UTF-8"));
  }
}
