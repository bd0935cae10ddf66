package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that misbehave, through the command line in JVMs of their own: a provider whose {@code
 * name()}, {@code description()} or {@code options()} throws or returns null, one whose {@code
 * create()} returns null, and jars that need a library nobody shipped. Each is refused naming its
 * class or module and its jar, and the good jar in the same directory (fmaml) still loads: {@code
 * boml plugins} lists the refusals (exit code 1), {@code train} and {@code check-plugin} warn once
 * about each and go on, and a plugin that is not found is reported with the refused jars.
 */
class MisbehavingPluginIT {
  @TempDir Path temp;

  /** A plugin directory with fmaml's jar in it. */
  private Path directoryWithFmaml() throws IOException {
    Path pluginDir = Files.createDirectories(temp.resolve("plugins"));
    Path fmaml = AppLayout.jar(AppLayout.pluginDir(), "boml-plugin-fmaml-");
    Files.copy(fmaml, pluginDir.resolve(fmaml.getFileName()));
    return pluginDir;
  }

  private static FixturePlugin fixture(String name, String members) {
    String className = Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Provider";
    return new FixturePlugin("org.example." + name, className, name, members);
  }

  /** The one problem that names the jar, which must also name every one of the words. */
  private static void assertRefused(PluginListing listing, Path jar, String... words) {
    List<String> naming =
        listing.problems().stream().filter(p -> p.contains(jar.toString())).toList();
    assertEquals(1, naming.size(), () -> "one problem names " + jar + listing.result());
    for (String word : words) {
      assertTrue(
          naming.get(0).contains(word), () -> "'" + word + "' is missing" + listing.result());
    }
  }

  @Test
  void providersWhoseMetadataThrowsOrIsNullAreRefusedByClassAndJar() throws IOException {
    Path pluginDir = directoryWithFmaml();
    Path build = temp.resolve("build");
    Path throwingName =
        fixture(
                "moody",
                "@Override public String name() {"
                    + " throw new IllegalStateException(\"no name today\"); }")
            .buildInto(pluginDir, build);
    Path nullName =
        fixture("nameless", "@Override public String name() { return null; }")
            .buildInto(pluginDir, build);
    Path throwingDescription =
        fixture(
                "mute",
                "@Override public String description() {"
                    + " throw new UnsupportedOperationException(\"later\"); }")
            .buildInto(pluginDir, build);
    Path nullOptions =
        fixture(
                "optionless",
                "@Override public java.util.List<org.boml.api.OptionSpec> options() {"
                    + " return null; }")
            .buildInto(pluginDir, build);

    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(4, listing.problems().size(), result::toString);
    assertRefused(
        listing,
        throwingName,
        "org.example.moody.MoodyProvider",
        "its name() threw java.lang.IllegalStateException: no name today");
    assertRefused(
        listing, nullName, "org.example.nameless.NamelessProvider", "its name() returned null");
    assertRefused(
        listing,
        throwingDescription,
        "org.example.mute.MuteProvider",
        "its description() threw java.lang.UnsupportedOperationException: later");
    assertRefused(
        listing,
        nullOptions,
        "org.example.optionless.OptionlessProvider",
        "its options() returned null");
    assertTrue(listing.location("fmaml").startsWith(pluginDir), result::toString);
    assertFalse(listing.names().contains("mute"), result::toString);

    // train and check-plugin warn once about each refused jar and go on with the others
    CliResult train =
        BomlCli.run(
            "train",
            "--method",
            "fmaml",
            "--iterations",
            "1",
            "--meta-batch",
            "1",
            "--eval-episodes",
            "1",
            "--plugins",
            pluginDir.toString());
    assertEquals(0, train.exitCode(), train::toString);
    assertWarnedOnceAboutEach(train, listing);
    assertFalse(train.stderr().contains("\tat "), () -> "a stack trace" + train);
    CliResult check = BomlCli.run("check-plugin", "rhg", "--plugins", pluginDir.toString());
    assertEquals(0, check.exitCode(), check::toString);
    assertWarnedOnceAboutEach(check, listing);

    // a plugin that is not found may be in a refused jar: the error names them
    CliResult unknown =
        BomlCli.run("train", "--method", "moody", "--plugins", pluginDir.toString());
    assertEquals(1, unknown.exitCode(), unknown::toString);
    assertTrue(
        unknown
            .stderr()
            .contains(
                "Unknown hypergradient module 'moody' (it may be in a jar that was refused: "),
        unknown::toString);
    for (Path jar : List.of(throwingName, nullName, throwingDescription, nullOptions)) {
      assertTrue(unknown.stderr().contains(jar.toString()), unknown::toString);
    }
  }

  /** One warning per refusal that the plugin listing shows, naming its jar and its reason. */
  private static void assertWarnedOnceAboutEach(CliResult result, PluginListing listing) {
    String warning = "a plugin was refused and is left out (boml plugins lists it): ";
    assertEquals(
        listing.problems().size(),
        result.stderr().split(java.util.regex.Pattern.quote(warning), -1).length - 1,
        result::toString);
    for (String problem : listing.problems()) {
      assertTrue(result.stderr().contains(warning + problem), result::toString);
    }
  }

  @Test
  void createReturningNullNamesThePluginAndItsJar() throws IOException {
    Path pluginDir = Files.createDirectories(temp.resolve("plugins"));
    FixturePlugin nullish =
        new FixturePlugin("org.example.nullish", "NullishProvider", "nullish", "", "return null;");
    Path jar = nullish.buildInto(pluginDir, temp.resolve("build"));
    String expected =
        "hypergradient module 'nullish' "
            + FixturePlugin.VERSION
            + " from "
            + jar
            + ": org.example.nullish.NullishProvider.create() returned null";

    CliResult train =
        BomlCli.run(
            "train",
            "--plugins",
            pluginDir.toString(),
            "--method",
            "nullish",
            "--iterations",
            "1",
            "--meta-batch",
            "1",
            "--eval-episodes",
            "1");
    assertEquals(1, train.exitCode(), train::toString);
    assertTrue(train.stderr().contains(expected), train::toString);

    CliResult check = BomlCli.run("check-plugin", "nullish", "--plugins", pluginDir.toString());
    assertEquals(1, check.exitCode(), check::toString);
    assertTrue(check.stderr().contains(expected), check::toString);
  }

  @Test
  void aJarWhoseLibraryIsMissingIsRefusedAloneAndTheOthersLoad() throws IOException {
    Path pluginDir = directoryWithFmaml();
    Path needy =
        fixture("needy", "").buildWithoutItsLibrary(pluginDir, temp.resolve("build"), false);
    Path lazy =
        fixture(
                "lazy",
                "@Override public String description() {"
                    + " return org.example.library.Library.word(); }")
            .buildWithoutItsLibrary(pluginDir, temp.resolve("build-lazy"), true);

    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(2, listing.problems().size(), result::toString);
    assertRefused(
        listing,
        needy,
        "module 'org.example.needy'",
        "Module " + FixturePlugin.LIBRARY + " not found, required by org.example.needy");
    assertRefused(
        listing,
        lazy,
        "org.example.lazy.LazyProvider",
        "its description() threw java.lang.NoClassDefFoundError",
        "org/example/library/Library");
    assertTrue(listing.location("fmaml").startsWith(pluginDir), result::toString);
    assertFalse(listing.names().contains("needy"), result::toString);
  }
}
