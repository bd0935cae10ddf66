package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigFileTest {
  private static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOverwrittenOptionsAllowed(true);
    return commandLine;
  }

  @Test
  void keysBecomeFlagsThatExplicitFlagsOverride(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("run.json");
    Files.writeString(
        file,
        "{\"dataset\": \"omniglot\", \"inner-steps\": 5, \"download\": true, \"json\": false,"
            + " \"dataset-option\": {\"split\": \"peer\"}, \"model-option\": {\"filters\": 32}}");
    CommandLine commandLine = commandLine();
    String[] expanded =
        ConfigFile.expand(
            commandLine, new String[] {"train", "--config", file.toString(), "--inner-steps", "3"});
    assertEquals(
        List.of(
            "train",
            "--dataset",
            "omniglot",
            "--inner-steps",
            "5",
            "--download",
            "--dataset-option",
            "split=peer",
            "--model-option",
            "filters=32",
            "--inner-steps",
            "3"),
        List.of(expanded));
    commandLine.parseArgs(expanded);
    TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
    assertEquals(3, train.innerSteps, "the explicit flag wins");
    assertTrue(train.data.download);
    assertEquals("peer", train.data.extra.get("split"));
  }

  @Test
  void unknownKeysNameTheNearestValidKey(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("run.json");
    Files.writeString(file, "{\"meta-bach\": 4}");
    CommandLine.ParameterException error =
        assertThrows(
            CommandLine.ParameterException.class,
            () ->
                ConfigFile.expand(
                    commandLine(), new String[] {"train", "--config", file.toString()}));
    assertTrue(
        error.getMessage().contains("'meta-bach'")
            && error.getMessage().contains("did you mean 'meta-batch'?"),
        error.getMessage());
    Files.writeString(file, "[1, 2]");
    assertThrows(
        CommandLine.ParameterException.class,
        () ->
            ConfigFile.expand(commandLine(), new String[] {"train", "--config", file.toString()}));
    assertThrows(
        CommandLine.ParameterException.class,
        () ->
            ConfigFile.expand(
                commandLine(),
                new String[] {"train", "--config", temp.resolve("missing.json").toString()}));
  }
}
