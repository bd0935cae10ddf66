package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose standard output is lost, to a full disk ({@code /dev/full}) or a closed
 * descriptor ({@code >&-}), exits with 1 and says so on standard error; a training run still leaves
 * its files.
 */
class StandardOutputIT {
  private static final File FULL = new File("/dev/full");

  private static CliResult toFullDisk(String... arguments) {
    Assumptions.assumeTrue(FULL.exists(), "no /dev/full here");
    return BomlCli.execute(
        new ProcessBuilder(BomlCli.command(arguments)).redirectOutput(FULL), 180);
  }

  @Test
  void jsonToAFullDiskFails() {
    CliResult plugins = toFullDisk("plugins", "--json");
    assertEquals(1, plugins.exitCode(), plugins.toString());
    assertTrue(
        plugins
            .stderr()
            .contains("boml: cannot write to standard output (No space left on device)"),
        plugins.toString());
  }

  @Test
  void aTrainingRunWhoseResultCannotBePrintedFailsButKeepsItsFiles(@TempDir Path temp) {
    Path run = temp.resolve("run");
    CliResult train =
        toFullDisk(
            "train",
            "--iterations",
            "2",
            "--meta-batch",
            "2",
            "--eval-episodes",
            "2",
            "--json",
            "--out",
            run.toString());
    assertEquals(1, train.exitCode(), train.toString());
    assertTrue(train.stderr().contains("cannot write to standard output"), train.toString());
    assertTrue(Files.exists(run.resolve("result.json")), "the result is saved all the same");
  }

  @Test
  void jsonToAClosedStandardOutputFails() {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >&-", "sh"));
    command.addAll(BomlCli.command("plugins", "--json"));
    CliResult closed = BomlCli.execute(new ProcessBuilder(command), 180);
    assertEquals(1, closed.exitCode(), closed.toString());
    assertTrue(closed.stderr().contains("cannot write to standard output"), closed.toString());
  }
}
