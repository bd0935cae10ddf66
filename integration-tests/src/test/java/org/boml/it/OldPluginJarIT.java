package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility promise of boml-api, kept by a jar built against its first release: {@code
 * fixtures/plugin-api-1.0.0/boml-plugin-reptile-1.0.0.jar} (source and build script beside it) was
 * compiled against boml-api 1.0.0 and is never rebuilt. Dropped into a plugin directory, the
 * current runtime, whatever 1.x API it carries, must list it as compatible and train with it, each
 * in a JVM of its own laid out as {@code ./boml} runs.
 */
class OldPluginJarIT {
  private static final String NAME = "reptile-api1";
  private static final String JAR = "boml-plugin-reptile-1.0.0.jar";

  @TempDir Path temp;
  private Path pluginDir;

  @BeforeEach
  void dropTheOldJarIntoAPluginDirectory() throws IOException {
    Path fixture =
        Path.of(System.getProperty("basedir", "."))
            .resolve("fixtures/plugin-api-1.0.0")
            .resolve(JAR);
    assertTrue(Files.isRegularFile(fixture), () -> "the fixture jar is missing: " + fixture);
    pluginDir = Files.createDirectories(temp.resolve("plugins"));
    Files.copy(fixture, pluginDir.resolve(JAR));
  }

  @Test
  void theCurrentRuntimeListsItWithTheApiVersionItWasBuiltAgainst() {
    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(List.of(), listing.problems(), result::toString);
    JsonObject plugin = listing.plugin(NAME);
    assertEquals("hypergradient", plugin.get("kind").getAsString(), result::toString);
    assertEquals("org.boml.fixture.reptile", plugin.get("module").getAsString(), result::toString);
    assertEquals("1.0.0", plugin.get("version").getAsString(), result::toString);
    assertEquals("1.0.0", plugin.get("apiVersion").getAsString(), result::toString);
    assertEquals(
        pluginDir.resolve(JAR).toAbsolutePath().normalize(),
        listing.location(NAME),
        result::toString);
  }

  /**
   * Three meta-iterations on sinusoid: every iteration's hypergradient is the old plugin's, and
   * Reptile's direction {@code x - y_T} is non-zero after inner steps, so a zero or non-finite norm
   * in the metrics log would mean the plugin's result never reached the meta-optimizer.
   */
  @Test
  void theCurrentRuntimeTrainsWithIt() throws IOException {
    Path run = temp.resolve("run");
    CliResult result =
        BomlCli.run(
            "train",
            "--method",
            NAME,
            "--plugins",
            pluginDir.toString(),
            "--iterations",
            "3",
            "--meta-batch",
            "2",
            "--eval-episodes",
            "5",
            "--json",
            "--out",
            run.toString());
    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(NAME, result.json().get("hypergradient").getAsString(), result::toString);
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(3, metrics.size(), String.join("\n", metrics));
    for (String line : metrics) {
      double norm =
          JsonParser.parseString(line).getAsJsonObject().get("hypergradientNorm").getAsDouble();
      assertTrue(Double.isFinite(norm) && norm > 0, () -> "hypergradient norm in " + line);
    }
  }
}
