package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./boml} launcher's choice of native allocator ({@code BOML_ALLOCATOR}): tcmalloc where
 * the dynamic linker knows it, glibc's malloc on request, a clear refusal of anything else; and its
 * JVM footprint flags, which {@code JAVA_OPTS} can replace. The JVM it starts reports what it got
 * ({@code boml --version} reads its own memory map).
 */
class LauncherAllocatorIT {
  @Test
  void tcmallocIsPreloadedByDefaultWhereInstalled() throws IOException {
    CliResult result = launch(Map.of());
    assertEquals(0, result.exitCode(), result.toString());
    String expected = tcmallocInstalled() ? "tcmalloc" : "system";
    assertTrue(result.stdout().contains("native allocator: " + expected), result.toString());
  }

  /**
   * tcmalloc's per-thread caches: at most 4 MiB together by default, a value from the environment
   * kept; {@code --version} reads the bound from tcmalloc itself.
   */
  @Test
  void tcmallocsThreadCachesAreBoundedUnlessTheEnvironmentSetsTheBound() throws IOException {
    assertTrue(
        tcmallocInstalled(),
        "the tests need tcmalloc: apt-get install -y libtcmalloc-minimal4 (README, Set-up)");
    CliResult defaults = launch(Map.of());
    assertEquals(0, defaults.exitCode(), defaults.toString());
    assertTrue(
        defaults.stdout().contains("native allocator: tcmalloc (thread caches at most 4 MiB)"),
        defaults.toString());
    CliResult own = launch(Map.of("TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES", "16777216"));
    assertEquals(0, own.exitCode(), own.toString());
    assertTrue(
        own.stdout().contains("native allocator: tcmalloc (thread caches at most 16 MiB)"),
        own.toString());
  }

  @Test
  void systemKeepsTheCLibrarysMalloc() {
    CliResult result = launch(Map.of("BOML_ALLOCATOR", "system"));
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("native allocator: system"), result.toString());
  }

  @Test
  void anUnknownAllocatorIsRefusedWithTheValidChoices() {
    CliResult result = launch(Map.of("BOML_ALLOCATOR", "dlmalloc"));
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(
        result
            .stderr()
            .contains("BOML_ALLOCATOR is 'dlmalloc'; use tcmalloc (the default) or system"),
        result.toString());
  }

  /** The JVM's footprint flags: serial collector, 8 MiB young generation (docs/cli.md). */
  @Test
  void theJvmRunsWithASmallYoungGenerationUnlessJavaOptsChooseOne() {
    CliResult defaults = launch(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags"));
    assertEquals(0, defaults.exitCode(), defaults.toString());
    assertTrue(defaults.stdout().contains("-XX:+UseSerialGC"), defaults.toString());
    assertTrue(defaults.stdout().contains("-XX:MaxNewSize=8388608"), defaults.toString());
    CliResult own = launch(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags -XX:+UseG1GC"));
    assertEquals(0, own.exitCode(), own.toString());
    assertTrue(own.stdout().contains("-XX:+UseG1GC"), own.toString());
    assertFalse(own.stdout().contains("-XX:+UseSerialGC"), own.toString());
    assertFalse(own.stdout().contains("-XX:MaxNewSize=8388608"), own.toString());
  }

  @Test
  void helpDocumentsTheVariablesTheLauncherReads() throws IOException {
    CliResult result = BomlCli.run("--help");
    assertEquals(0, result.exitCode(), result.toString());
    String launcher = Files.readString(BomlCli.LAUNCHER);
    for (String variable :
        List.of(
            "JAVA_OPTS", "BOML_HEAP", "BOML_ALLOCATOR", "TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES")) {
      assertTrue(launcher.contains("${" + variable), "the launcher does not read " + variable);
      assertTrue(result.stdout().contains(variable), variable + " is not in --help" + result);
    }
  }

  /** Whether the dynamic linker's cache lists tcmalloc, the launcher's test. */
  private static boolean tcmallocInstalled() throws IOException {
    for (String ldconfig : List.of("ldconfig", "/sbin/ldconfig")) {
      try {
        Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
        String listing =
            new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return listing.contains("libtcmalloc_minimal.so.4 ");
      } catch (IOException e) {
        // not on the PATH: try the next location
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + ldconfig, e);
      }
    }
    return false;
  }

  private static CliResult launch(Map<String, String> environment) {
    return BomlCli.launch(environment, "--version");
  }
}
