package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that throws in the middle of training, through the command line in a JVM of its own: the
 * error names the iteration, the task, the plugin with its version and jar, and the frame that
 * threw; the checkpoint of the iterations before is intact, and resuming from it ends where an
 * uninterrupted run does.
 */
class PluginFaultIT {
  private static final String FAIL_AT = "BOML_FIXTURE_FAIL_AT";

  /**
   * Unrolled-gradient hypergradient module whose n-th call throws, n from {@value #FAIL_AT} (never
   * when unset); with one worker, calls go in task order.
   */
  private static final FixturePlugin FAULTY =
      new FixturePlugin(
          "org.example.faulty",
          "FaultyProvider",
          "faulty",
          "private static final java.util.concurrent.atomic.AtomicInteger CALLS ="
              + " new java.util.concurrent.atomic.AtomicInteger();",
          "int failAt = Integer.parseInt(System.getenv().getOrDefault(\""
              + FAIL_AT
              + "\", \"0\"));"
              + " return (problem, dynamics, x, steps, d) -> {"
              + "  if (CALLS.incrementAndGet() == failAt) {"
              + "    throw new IllegalStateException(\"fixture failure at call \" + failAt);"
              + "  }"
              + "  org.boml.api.Variables y = dynamics.initialize(x, problem, d);"
              + "  for (int t = 0; t < steps; t++) { y = dynamics.step(t, x, y, problem, d, true); }"
              + "  return org.boml.api.Hypergradient.of("
              + "      d.gradient(problem.upperObjective(x, y), x, false),"
              + " problem.upperObjective(x, y));"
              + " };");

  @TempDir Path temp;

  private String[] training(Path pluginDir, Path out) {
    return new String[] {
      "train",
      "--plugins",
      pluginDir.toString(),
      "--method",
      "faulty",
      "--iterations",
      "20",
      "--meta-batch",
      "2",
      "--checkpoint-every",
      "5",
      "--workers",
      "1",
      "--eval-episodes",
      "2",
      "--seed",
      "3",
      "--out",
      out.toString()
    };
  }

  @Test
  void aThrowingPluginIsNamedAndTheLastCheckpointResumes() throws IOException {
    Path pluginDir = temp.resolve("plugins");
    Path jar = FAULTY.buildInto(pluginDir, temp.resolve("build"));
    Path whole = temp.resolve("whole");
    CliResult uninterrupted = BomlCli.run(training(pluginDir, whole));
    assertEquals(0, uninterrupted.exitCode(), uninterrupted::toString);

    Path failed = temp.resolve("failed");
    // call 25 = iteration 13, task 0 (two tasks per iteration); checkpoints at 5 and 10
    CliResult fault = BomlCli.run(Map.of(FAIL_AT, "25"), training(pluginDir, failed));
    assertEquals(1, fault.exitCode(), fault::toString);
    String stderr = fault.stderr();
    for (String part :
        List.of(
            "iteration 13, task 0: hypergradient module 'faulty' " + FixturePlugin.VERSION,
            "from " + jar,
            "with dynamics 'gd'",
            "failed: fixture failure at call 25",
            "java.lang.IllegalStateException at org.example.faulty",
            "The checkpoint of iteration 10 in " + failed + " is kept",
            "--resume " + failed)) {
      assertTrue(stderr.contains(part), () -> "missing '" + part + "'" + fault);
    }
    try (Stream<Path> files = Files.list(failed)) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")),
          "no temporary file is left");
    }

    CliResult resumed =
        BomlCli.run("train", "--resume", failed.toString(), "--plugins", pluginDir.toString());
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertTrue(resumed.stderr().contains("after iteration 10 of 20"), resumed::toString);
    assertArrayEquals(
        Files.readAllBytes(whole.resolve("meta-parameters.safetensors")),
        Files.readAllBytes(failed.resolve("meta-parameters.safetensors")),
        "resumed from the kept checkpoint, the run ends where the uninterrupted one does");
    assertEquals(
        Files.readAllLines(whole.resolve("metrics.jsonl")).size(),
        Files.readAllLines(failed.resolve("metrics.jsonl")).size(),
        "one metrics line per iteration");
  }
}
