package org.boml.metarl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.boml.runtime.cli.spi.SubcommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code boml rl}: registration, a tiny run and its run directory, and the errors of a user. */
class RlCommandTest {
  @TempDir Path temporary;

  static SubcommandRun run(String... args) {
    return SubcommandRun.of(new RlCommand(), args);
  }

  @Test
  void isProvidedAsASubcommandAndNavigationAsAnEnvironment() {
    assertTrue(
        SubcommandRun.isProvided(RlCommand.class),
        RlCommand.class.getModule().getDescriptor().toString());
    CommandLine command = new CommandLine(new RlCommand());
    assertEquals("rl", command.getCommandName());
    String help = command.getUsageMessage();
    assertTrue(help.contains("with 95% confidence") && !help.contains("%n"), help);
    assertEquals(Navigation2d.NAME, RlCommand.family(Navigation2d.NAME).name());
  }

  @Test
  void aTinyRunWritesItsRunDirectory() throws IOException {
    Path out = temporary.resolve("run");
    SubcommandRun run =
        run(
            "--out",
            out.toString(),
            "--hidden",
            "8,8",
            "--episodes",
            "2",
            "--meta-batch",
            "2",
            "--iterations",
            "2",
            "--eval-tasks",
            "3",
            "--eval-steps",
            "2",
            "--seed",
            "4");
    assertEquals(0, run.code(), run.toString());
    assertTrue(run.out().contains("maml"), run.out());
    JsonObject config =
        JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
    assertEquals(4, config.get("seed").getAsLong());
    assertEquals("rhg", config.get("method").getAsString());
    List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(4, metrics.size(), metrics.toString());
    JsonObject last = JsonParser.parseString(metrics.get(3)).getAsJsonObject();
    assertEquals("pretrained", last.get("policy").getAsString());
    assertEquals(2, last.get("iteration").getAsInt());
    JsonObject result =
        JsonParser.parseString(Files.readString(out.resolve("result.json")))
            .getAsJsonObject()
            .getAsJsonObject("result");
    for (String policy : List.of("maml", "pretrained", "random")) {
      JsonArray returns = result.getAsJsonObject("returns").getAsJsonArray(policy);
      assertEquals(3, returns.size(), policy);
      for (int k = 0; k < 3; k++) {
        JsonObject statistic = returns.get(k).getAsJsonObject();
        double mean = statistic.get("mean").getAsDouble();
        // every reward is minus a distance inside the reachable square: between -100 * 10.7 and 0
        assertTrue(mean < 0 && mean > -1100, policy + " " + statistic);
        assertEquals(3, statistic.get("count").getAsInt());
      }
    }
    assertTrue(Files.size(out.resolve("meta-parameters.safetensors")) > 0);

    SubcommandRun again = run("--out", out.toString(), "--iterations", "1");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already holds a run"), again.err());
  }

  @Test
  void badInputIsRefusedWithTheOptionNamed() {
    SubcommandRun unknown = run("--out", temporary.resolve("a").toString(), "--env", "cartpole");
    assertEquals(1, unknown.code());
    assertTrue(
        unknown.err().contains("--env cartpole") && unknown.err().contains("navigation2d"),
        unknown.err());
    SubcommandRun negative = run("--out", temporary.resolve("b").toString(), "--inner-lr", "-1");
    assertEquals(1, negative.code());
    assertTrue(negative.err().contains("--inner-lr"), negative.err());
    assertFalse(Files.exists(temporary.resolve("b")));
  }
}
