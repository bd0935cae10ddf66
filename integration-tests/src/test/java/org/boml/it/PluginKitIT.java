package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party plugin kit end to end: {@code examples/neumann-plugin}, a Maven project of its
 * own that depends on boml-api only, is built with Maven in a separate process (from a copy, so the
 * source tree stays clean), its jar dropped into a plugin directory, and the command line lists it
 * with the versions its module descriptor records, trains with it and runs {@code check-plugin} on
 * it.
 *
 * <p>Maven is required: when it cannot be found or the build fails the test fails, it is never
 * skipped.
 */
class PluginKitIT {
  /** Set by failsafe: the example project, the Maven installation, its repository and settings. */
  static final String EXAMPLE = "boml.it.neumann.example";

  static final String MAVEN_HOME = "boml.it.maven.home";
  static final String MAVEN_REPOSITORY = "boml.it.maven.repository";
  static final String MAVEN_SETTINGS = "boml.it.maven.settings";
  private static final long BUILD_TIMEOUT_SECONDS = 180;

  /** One row of the check-plugin table: problem, family, steps, relative error, result. */
  private static final Pattern ROW =
      Pattern.compile("^(.{16}) (META_\\w+)\\s+(\\d+)\\s+(\\S+)\\s+(.+)$");

  @TempDir static Path temp;
  static Path pluginDir;
  static Path jar;

  @BeforeAll
  static void buildTheExampleAndInstallItsJar() throws IOException {
    Path project = copyOfTheExample(temp.resolve("neumann-plugin"));
    buildWithMaven(project);
    Path built = project.resolve("target").resolve("boml-neumann-plugin-1.0.0.jar");
    assertTrue(Files.isRegularFile(built), () -> "the example's build made no " + built);
    pluginDir = Files.createDirectories(temp.resolve("plugins"));
    jar = Files.copy(built, pluginDir.resolve(built.getFileName()));
  }

  @Test
  void listsThePluginWithTheVersionsItsDescriptorRecords() {
    PluginListing listing = PluginListing.run("--plugins", pluginDir.toString());
    CliResult result = listing.result();
    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(List.of(), listing.problems(), result::toString);
    JsonObject neumann = listing.plugin("neumann");
    assertEquals("hypergradient", neumann.get("kind").getAsString(), result::toString);
    assertEquals("org.example.neumann", neumann.get("module").getAsString(), result::toString);
    assertEquals("1.0.0", neumann.get("version").getAsString(), result::toString);
    assertEquals("1.6.0", neumann.get("apiVersion").getAsString(), result::toString);
    assertEquals(jar.toAbsolutePath().normalize(), listing.location("neumann"), result::toString);
    assertTrue(
        listing.location("neumann").startsWith(pluginDir.toAbsolutePath().normalize()),
        result::toString);
  }

  /**
   * Meta-initialization on sinusoid: the implicit hypergradient ignores Psi_0, so it is zero here
   * and training leaves the initialization as it is; the run must still complete and evaluate.
   */
  @Test
  void trainsWithThePlugin() {
    CliResult refused =
        BomlCli.run(
            "train", "--method", "neumann", "--plugins", pluginDir.toString(), "--iterations", "1");
    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(
        refused.stderr().contains("'neumann'") && refused.stderr().contains("meta-feature"),
        "the plugin's own requirements are enforced: " + refused);
    CliResult result =
        BomlCli.run(
            "train",
            "--method",
            "neumann",
            "--plugins",
            pluginDir.toString(),
            "--family",
            "meta-feature",
            "--inner-steps",
            "5",
            "--inner-lr",
            "0.1",
            "--method-option",
            "alpha=0.05",
            "--iterations",
            "20",
            "--meta-batch",
            "5",
            "--eval-episodes",
            "20",
            "--json");
    assertEquals(0, result.exitCode(), result::toString);
    JsonObject document = result.json();
    assertEquals("neumann", document.get("hypergradient").getAsString(), result::toString);
    assertTrue(
        Double.isFinite(document.getAsJsonObject("after").get("mean").getAsDouble()),
        result::toString);
    assertTrue(result.stderr().contains("neumann 1.0.0"), result::toString);
  }

  @Test
  void refusesAnInvalidOptionWithTheOptionsName() {
    CliResult result =
        BomlCli.run(
            "train",
            "--method",
            "neumann",
            "--plugins",
            pluginDir.toString(),
            "--family",
            "meta-feature",
            "--method-option",
            "alpha=0",
            "--iterations",
            "1");
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(
        result
            .stderr()
            .contains(
                "Option 'alpha' of hypergradient 'neumann' is '0' but must be a positive number"),
        result::toString);
  }

  /**
   * check-plugin compares with finite differences of the unrolled objective F(x, y_T(x)) for T = 1
   * and 3, which an implicit method does not approximate (it differentiates at a lower-level
   * minimum, and ignores Psi_0): it cannot pass, and check-plugin must say so. What is asserted:
   * every row is computed (a finite relative error, no exception), the meta-initialization rows are
   * exactly 1 (the implicit hypergradient is zero there, as derived in the plugin's Javadoc) and
   * the verdict is "some checks failed". The relative error max-normalizes, so it never exceeds 2.
   * Measured with terms=200: 1.00 on all four meta-initialization rows; sinusoid MLP meta-feature
   * 1.00 (T=1) and 1.00 (T=3); tiny conv net meta-feature 1.35 and 1.05. The plugin's correctness
   * is checked by its own unit tests against the closed-form hypergradient of a quadratic problem
   * (relative error 7e-10 with 500 terms).
   */
  @Test
  void checkPluginComputesEveryRowAndFlagsTheImplicitApproximation() {
    CliResult result =
        BomlCli.run(
            "check-plugin",
            "neumann",
            "--plugins",
            pluginDir.toString(),
            "--method-option",
            "terms=200",
            "--tolerance",
            "1e-2");
    System.out.println("check-plugin neumann, terms=200:\n" + result.stdout());
    List<Matcher> rows =
        result
            .stdout()
            .lines()
            .map(ROW::matcher)
            .filter(Matcher::matches)
            .collect(Collectors.toList());
    assertEquals(8, rows.size(), result::toString);
    for (Matcher row : rows) {
      double error = Double.parseDouble(row.group(4));
      assertTrue(
          Double.isFinite(error) && error >= 0 && error <= 2, () -> "row " + row.group() + result);
      assertTrue(
          row.group(5).equals("pass") || row.group(5).equals("FAIL"),
          () -> "the plugin threw instead of computing: " + row.group() + result);
      if (row.group(2).equals("META_INITIALIZATION")) {
        assertEquals(
            1.0,
            error,
            0.0,
            () -> "the implicit hypergradient of meta-initialization is zero: " + row.group());
      }
    }
    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.stdout().contains("some checks failed (tolerance 0.01)"), result::toString);
  }

  /**
   * Copies pom.xml, .mvn/ (the JDK exports Error Prone needs) and src/ of the example into a
   * scratch project directory.
   */
  private static Path copyOfTheExample(Path target) throws IOException {
    String location = System.getProperty(EXAMPLE);
    if (location == null) {
      fail(
          "System property "
              + EXAMPLE
              + " is not set: run the integration tests with 'mvn verify'");
    }
    Path example = Path.of(location).toAbsolutePath().normalize();
    assertTrue(
        Files.isRegularFile(example.resolve("pom.xml")), () -> "no example project at " + example);
    Files.createDirectories(target);
    Files.copy(example.resolve("pom.xml"), target.resolve("pom.xml"));
    copyTree(example.resolve(".mvn"), target.resolve(".mvn"));
    copyTree(example.resolve("src"), target.resolve("src"));
    return target;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path path : walk.sorted().collect(Collectors.toList())) {
        Path copy = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /**
   * Runs {@code mvn -B -o -q -f PROJECT/pom.xml verify -Dmaven.test.skip=true} with the Maven,
   * local repository and settings of the build that runs this test, on this test's JDK. Skipping
   * the tests' compilation too means the jar is built from boml-api alone, as a plugin author
   * would; the example's unit tests run with its own {@code mvn -B verify}. verify also holds the
   * example to the project's checks: Error Prone as it compiles, and its format.
   */
  private static void buildWithMaven(Path project) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(mavenExecutable());
    command.addAll(List.of("-B", "-o", "-q", "-f", project.resolve("pom.xml").toString()));
    String repository = System.getProperty(MAVEN_REPOSITORY, "");
    if (!repository.isBlank()) {
      command.add("-Dmaven.repo.local=" + repository);
    }
    String settings = System.getProperty(MAVEN_SETTINGS, "");
    if (!settings.isBlank() && Files.isRegularFile(Path.of(settings))) {
      command.addAll(List.of("-s", settings));
    }
    command.addAll(List.of("verify", "-Dmaven.test.skip=true"));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path log = temp.resolve("maven.log");
    builder.redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      fail(
          "Maven is required to build examples/neumann-plugin but cannot be started: " + command,
          e);
      return;
    }
    try {
      if (!process.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail(
            "Maven did not build the example within "
                + BUILD_TIMEOUT_SECONDS
                + " s: "
                + String.join(" ", command)
                + "\n"
                + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while building the example", e);
    }
    String output = Files.readString(log);
    assertEquals(
        0,
        process.exitValue(),
        () -> "Maven failed to build the example: " + String.join(" ", command) + "\n" + output);
    System.out.printf(
        Locale.ROOT,
        "built examples/neumann-plugin with Maven in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * Maven's launcher: that of the running build, else {@code mvn} on the PATH; fails if neither.
   */
  private static String mavenExecutable() {
    String home = System.getProperty(MAVEN_HOME, "");
    if (!home.isBlank()) {
      Path launcher = Path.of(home, "bin", File.separatorChar == '\\' ? "mvn.cmd" : "mvn");
      if (Files.isExecutable(launcher)) {
        return launcher.toString();
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(File.pathSeparator, -1)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "mvn"))) {
        return Path.of(directory, "mvn").toString();
      }
    }
    return fail(
        "Maven is required to build examples/neumann-plugin: no launcher under "
            + MAVEN_HOME
            + "='"
            + home
            + "' nor 'mvn' on the PATH");
  }
}
