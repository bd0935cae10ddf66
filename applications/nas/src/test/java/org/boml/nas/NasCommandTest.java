package org.boml.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.plugins.nascells.Genotype;
import org.boml.runtime.cli.spi.SubcommandRun;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code boml nas}: registration, a tiny run and its run directory, and the errors of a user. */
class NasCommandTest {
  @TempDir Path temporary;

  static SubcommandRun run(String... args) {
    return SubcommandRun.of(new NasCommand(), args);
  }

  /** Fails with the install command where Debian's Fashion-MNIST is missing. */
  static void requireData() {
    if (!Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY)) {
      Assertions.fail(
          "Fashion-MNIST is not installed in "
              + FashionMnist.DEBIAN_DIRECTORY
              + ": apt-get install -y dataset-fashion-mnist (the README's set-up names it)");
    }
  }

  private static final List<String> TINY =
      List.of(
          "--train",
          "64",
          "--validation",
          "64",
          "--test",
          "100",
          "--batch",
          "32",
          "--cells",
          "1",
          "--nodes",
          "2",
          "--channels",
          "2",
          "--epochs",
          "1",
          "--retrain-epochs",
          "1",
          "--random-cells",
          "2",
          "--method",
          "fmaml");

  @Test
  void isProvidedAsASubcommand() {
    assertTrue(
        SubcommandRun.isProvided(NasCommand.class),
        NasCommand.class.getModule().getDescriptor().toString());
    CommandLine command = new CommandLine(new NasCommand());
    assertEquals("nas", command.getCommandName());
    String help = command.getUsageMessage();
    assertTrue(help.contains("--random-cells") && !help.contains("%n"), help);
  }

  @Test
  void aTinyRunWritesItsRunDirectoryAndRefusesToReplaceIt() throws IOException {
    requireData();
    Path out = temporary.resolve("run");
    List<String> args = new java.util.ArrayList<>(TINY);
    args.addAll(List.of("--out", out.toString()));
    SubcommandRun run = run(args.toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    for (String file :
        List.of(
            "config.json",
            "metrics.jsonl",
            "result.json",
            NasCommand.GENOTYPE_FILE,
            NasCommand.CELL_PICTURE,
            NasCommand.CURVES)) {
      assertTrue(Files.size(out.resolve(file)) > 0, file);
    }
    // one search epoch, then one epoch for the derived and each random cell
    List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(4, metrics.size());
    assertTrue(metrics.get(0).contains("\"phase\":\"search\""), metrics.get(0));
    assertTrue(metrics.get(3).contains("\"phase\":\"random-2\""), metrics.get(3));
    Genotype derived = Genotype.parse(Files.readString(out.resolve(NasCommand.GENOTYPE_FILE)));
    assertEquals(2, derived.nodes().size());
    JsonObject result =
        JsonParser.parseString(Files.readString(out.resolve("result.json")))
            .getAsJsonObject()
            .getAsJsonObject("result");
    assertEquals(derived.toString(), result.get("genotype").getAsString());
    assertEquals(2, result.getAsJsonArray("random").size());
    double accuracy = result.getAsJsonObject("derived").get("testAccuracy").getAsDouble();
    assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
    assertTrue(run.out().contains("random cells: mean"), run.out());
    byte[] png = Files.readAllBytes(out.resolve(NasCommand.CELL_PICTURE));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);

    SubcommandRun again = run(args.toArray(String[]::new));
    assertEquals(1, again.code());
    assertTrue(
        again.err().contains("already holds a run") && again.err().contains("--overwrite"),
        again.err());
  }

  @Test
  void badOptionsAreRefusedNamingTheOption() {
    Path out = temporary.resolve("bad");
    SubcommandRun size = run("--out", out.toString(), "--image-size", "20");
    assertEquals(1, size.code());
    assertTrue(size.err().contains("--image-size must be 28 or 14"), size.err());
    SubcommandRun epochs = run("--out", out.toString(), "--epochs", "0");
    assertTrue(epochs.err().contains("--epochs must be an integer >= 1"), epochs.err());
    SubcommandRun method = run("--out", out.toString(), "--method", "no-such-method");
    assertEquals(1, method.code());
    assertTrue(method.err().contains("no-such-method"), method.err());
  }
}
