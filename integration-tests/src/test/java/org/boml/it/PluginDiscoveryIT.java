package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plugin discovery through the command line, each case in a JVM of its own: built-in plugins on the
 * module path, fmaml from a plugin directory, and the refusal of an incompatible, a duplicated and
 * a corrupt plugin jar.
 */
class PluginDiscoveryIT {
  private static final List<String> TRAIN_FOMAML =
      List.of(
          "train",
          "--method",
          "fomaml",
          "--iterations",
          "20",
          "--meta-batch",
          "5",
          "--eval-episodes",
          "20");

  @TempDir Path temp;

  @Test
  void listsModulePathPluginsAndThePluginDirectory() {
    Path pluginDir = AppLayout.pluginDir();
    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();

    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(List.of(), listing.problems(), result::toString);
    JsonObject fmaml = listing.plugin("fmaml");
    assertEquals("hypergradient", fmaml.get("kind").getAsString(), result::toString);
    assertTrue(listing.location("fmaml").startsWith(pluginDir), result::toString);
    for (String name : List.of("rhg", "gd", "sinusoid", "mlp")) {
      assertTrue(
          listing.location(name).startsWith(AppLayout.modules()),
          () -> name + " is not from the module path" + result);
    }
    assertTrue(
        AppLayout.jars(AppLayout.modules()).stream()
            .noneMatch(jar -> jar.getFileName().toString().contains("fmaml")),
        () -> "fmaml is on the module path: " + AppLayout.jars(AppLayout.modules()));
  }

  @Test
  void withoutThePluginDirectoryFmamlIsUnknown() {
    PluginListing listing = PluginListing.run();
    assertEquals(0, listing.result().exitCode(), listing.result()::toString);
    assertFalse(listing.names().contains("fmaml"), listing.result()::toString);

    CliResult train = BomlCli.run(with(TRAIN_FOMAML));
    assertEquals(1, train.exitCode(), train::toString);
    assertTrue(train.stderr().contains("Unknown hypergradient module 'fmaml'"), train::toString);
    String available = train.stderr().replaceFirst("(?s).*Available: ([^.]*)\\..*", "$1");
    assertTrue(List.of(available.split(", ", -1)).contains("rhg"), train::toString);
  }

  /** How the plugin directory is given. */
  enum PluginDirectoryFrom {
    OPTION,
    ENVIRONMENT
  }

  @ParameterizedTest
  @EnumSource(PluginDirectoryFrom.class)
  void trainsWithAPluginFromThePluginDirectory(PluginDirectoryFrom from) {
    String pluginDir = AppLayout.pluginDir().toString();
    CliResult result =
        from == PluginDirectoryFrom.OPTION
            ? BomlCli.run(with(TRAIN_FOMAML, "--json", "--plugins", pluginDir))
            : BomlCli.run(
                Map.of(PluginRegistry.PLUGINS_ENV, pluginDir), with(TRAIN_FOMAML, "--json"));

    assertEquals(0, result.exitCode(), result::toString);
    JsonObject document = result.json();
    assertEquals("fomaml", document.get("method").getAsString(), result::toString);
    assertTrue(
        Double.isFinite(document.getAsJsonObject("after").get("mean").getAsDouble()),
        result::toString);
  }

  @Test
  void refusesAPluginBuiltForAnotherMajorApiVersion() throws IOException {
    Path pluginDir = temp.resolve("plugins");
    Path jar =
        new FixturePlugin(
                "org.example.future",
                "FutureProvider",
                "future",
                "@Override public String apiVersion() { return \"2.0.0\"; }")
            .buildInto(pluginDir, temp.resolve("build"));

    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(1, listing.problems().size(), result::toString);
    String problem = listing.problems().get(0);
    assertTrue(problem.contains(jar.toString()), result::toString);
    assertTrue(problem.contains("2.0.0"), result::toString);
    assertTrue(problem.contains("major versions must match"), result::toString);
    assertFalse(listing.names().contains("future"), result::toString);

    CliResult train =
        BomlCli.run(
            "train", "--method", "future", "--iterations", "1", "--plugins", pluginDir.toString());
    assertEquals(1, train.exitCode(), train::toString);
    assertTrue(
        train.stderr().contains("Unknown hypergradient module 'future' (" + problem + ")"),
        train::toString);
  }

  @Test
  void refusesTwoHypergradientModulesWithTheSameName() throws IOException {
    Path pluginDir = temp.resolve("plugins");
    Path twin =
        new FixturePlugin("org.example.twin", "TwinProvider", "rhg", "")
            .buildInto(pluginDir, temp.resolve("build"));

    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(1, result.exitCode(), result::toString);
    Path rhg = AppLayout.jar(AppLayout.modules(), "boml-plugin-rhg-");
    assertTrue(
        listing.problems().stream()
            .anyMatch(p -> p.contains(twin.toString()) && p.contains(rhg.toString())),
        result::toString);
    assertFalse(listing.names().contains("rhg"), result::toString);
  }

  @Test
  void reportsACorruptJarAndStillLoadsTheOthers() throws IOException {
    Path pluginDir = Files.createDirectories(temp.resolve("plugins"));
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);
    Files.write(pluginDir.resolve("broken.jar"), noise);
    Path fmaml = AppLayout.jar(AppLayout.pluginDir(), "boml-plugin-fmaml-");
    Files.copy(fmaml, pluginDir.resolve(fmaml.getFileName()));

    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(1, listing.problems().size(), result::toString);
    assertTrue(
        listing.problems().get(0).contains(pluginDir.resolve("broken.jar").toString()),
        result::toString);
    assertTrue(listing.names().contains("fmaml"), result::toString);
  }

  private static String[] with(List<String> arguments, String... more) {
    return Stream.concat(arguments.stream(), Stream.of(more)).toArray(String[]::new);
  }
}
