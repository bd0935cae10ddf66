package org.boml.hyperclean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.boml.runtime.cli.spi.SubcommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code boml hyperclean}: registration, a tiny JSON run and the errors a user can make. */
class HypercleanCommandTest {
  @TempDir Path empty;

  static SubcommandRun run(String... args) {
    return SubcommandRun.of(new HypercleanCommand(), args);
  }

  @Test
  void isProvidedAsASubcommandOfTheCommandLine() {
    assertTrue(
        SubcommandRun.isProvided(HypercleanCommand.class),
        HypercleanCommand.class.getModule().getDescriptor().toString());
    assertEquals("hyperclean", new CommandLine(new HypercleanCommand()).getCommandName());
  }

  @Test
  void printsTheResultAsJson() {
    SubcommandRun run =
        run(
            "--train",
            "40",
            "--validation",
            "30",
            "--steps",
            "3",
            "--iterations",
            "2",
            "--log-every",
            "1",
            "--seed",
            "4",
            "--json");
    assertEquals(0, run.code(), run.toString());
    JsonObject document = JsonParser.parseString(run.out()).getAsJsonObject();
    JsonObject settings = document.getAsJsonObject("settings");
    assertEquals(40, settings.get("train").getAsInt());
    assertEquals(4, settings.get("seed").getAsLong());
    JsonObject result = document.getAsJsonObject("result");
    assertEquals(2, result.get("iterations").getAsInt());
    for (String key : new String[] {"testAccuracy", "baselineAccuracy", "oracleAccuracy"}) {
      double accuracy = result.get(key).getAsDouble();
      assertTrue(accuracy > 0.05 && accuracy <= 1, key + " " + accuracy);
    }
    assertEquals(2.0 / 3, result.get("chanceF1").getAsDouble(), 1e-12);
    assertTrue(result.getAsJsonObject("detection").has("f1"), run.out());
    double before = result.get("residentBeforeMiB").getAsDouble();
    double peak = result.get("peakResidentMiB").getAsDouble();
    assertTrue(before > 10 && peak >= before, "resident memory " + before + " then peak " + peak);
  }

  @Test
  void explainsWhatIsWrong() {
    SubcommandRun missing = run("--data-dir", empty.resolve("absent").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("dataset-fashion-mnist"), missing.err());
    SubcommandRun forward = run("--method", "fhg");
    assertEquals(1, forward.code());
    assertTrue(forward.err().contains("one tangent per hyperparameter"), forward.err());
    SubcommandRun steps = run("--steps", "0");
    assertEquals(1, steps.code());
    assertTrue(steps.err().contains("--steps must be an integer >= 1"), steps.err());
    SubcommandRun unknown =
        run("--method", "no-such-method", "--train", "10", "--validation", "10");
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().contains("no-such-method"), unknown.err());
    // the example weights enter only f, where first order gives exactly zero: refused before the
    // data is read (the data directory does not exist)
    SubcommandRun firstOrder =
        run("--method", "fmaml", "--data-dir", empty.resolve("absent").toString());
    assertEquals(1, firstOrder.code());
    assertTrue(
        firstOrder.err().contains("hypergradient 'fmaml' cannot be used with dynamics 'gd'")
            && firstOrder.err().contains("x-beyond-lower-objective")
            && firstOrder.err().contains("data hyper-cleaning"),
        firstOrder.err());
  }
}
