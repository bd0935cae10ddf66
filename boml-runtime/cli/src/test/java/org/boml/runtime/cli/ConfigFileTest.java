package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    return Main.commandLine();
  }

  private static String[] expand(String... args) {
    return ConfigFile.expand(ConfigFileTest::commandLine, args);
  }

  /** The one-line error for a configuration file, naming the file and the given words. */
  private static void assertRefused(Path file, String... words) {
    CommandLine.ParameterException error =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> expand("train", "--config", file.toString()));
    String message = error.getMessage();
    assertFalse(message.contains("\n"), () -> "more than one line: " + message);
    assertTrue(message.contains(file.toString()), () -> "the file is not named: " + message);
    for (String word : words) {
      assertTrue(message.contains(word), () -> "'" + word + "' is missing: " + message);
    }
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
            ConfigFileTest::commandLine,
            new String[] {"train", "--config", file.toString(), "--inner-steps", "3"});
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
                    ConfigFileTest::commandLine,
                    new String[] {"train", "--config", file.toString()}));
    assertTrue(
        error.getMessage().contains("'meta-bach'")
            && error.getMessage().contains("did you mean 'meta-batch'?"),
        error.getMessage());
    Files.writeString(file, "[1, 2]");
    assertThrows(
        CommandLine.ParameterException.class,
        () ->
            ConfigFile.expand(
                ConfigFileTest::commandLine, new String[] {"train", "--config", file.toString()}));
    assertThrows(
        CommandLine.ParameterException.class,
        () ->
            ConfigFile.expand(
                ConfigFileTest::commandLine,
                new String[] {"train", "--config", temp.resolve("missing.json").toString()}));
  }

  @Test
  void theAttachedFormEqualsTheSeparateOne(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("run.json");
    Files.writeString(file, "{\"iterations\": 7, \"method\": \"fomaml\"}");
    List<String> separate = List.of(expand("train", "--seed", "1", "--config", file.toString()));
    assertEquals(
        List.of("train", "--iterations", "7", "--method", "fomaml", "--seed", "1"), separate);
    assertEquals(separate, List.of(expand("train", "--seed", "1", "--config=" + file)));
    CommandLine commandLine = commandLine();
    commandLine.parseArgs(expand("train", "--config=" + file));
    TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
    assertEquals(7, train.iterations, "the file's iterations, not the default");
  }

  @Test
  void aSecondConfigurationFileIsRefused(@TempDir Path temp) throws Exception {
    Path one = Files.writeString(temp.resolve("one.json"), "{\"iterations\": 7}");
    Path two = Files.writeString(temp.resolve("two.json"), "{\"iterations\": 9}");
    for (String[] args :
        List.of(
            new String[] {"train", "--config", one.toString(), "--config", two.toString()},
            new String[] {"train", "--config=" + one, "--config", two.toString()},
            new String[] {"evaluate", "--config=" + one, "--config=" + two})) {
      CommandLine.ParameterException error =
          assertThrows(CommandLine.ParameterException.class, () -> expand(args));
      assertTrue(
          error.getMessage().contains("--config is given 2 times; give one configuration file"),
          error.getMessage());
    }
    CommandLine.ParameterException empty =
        assertThrows(CommandLine.ParameterException.class, () -> expand("train", "--config="));
    assertTrue(empty.getMessage().contains("--config needs a FILE"), empty.getMessage());
  }

  @Test
  void nullsArraysObjectsAndWrongTypesNameTheKeyAndTheFile(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("run.json");
    Files.writeString(file, "{\"method\": null}");
    assertRefused(file, "key 'method'", "is null");
    Files.writeString(file, "{\"inner-steps\": [5, 6]}");
    assertRefused(file, "key 'inner-steps'", "is a JSON array", "takes one value");
    Files.writeString(file, "{\"method\": {\"name\": \"rhg\"}}");
    assertRefused(file, "key 'method'", "is a JSON object", "takes one value");
    Files.writeString(file, "{\"inner-steps\": \"five\"}");
    assertRefused(file, "key 'inner-steps'", "'five' is not an int");
    Files.writeString(file, "{\"meta-lr\": true}");
    assertRefused(file, "key 'meta-lr'", "'true'");
    Files.writeString(file, "{\"download\": \"yes\"}");
    assertRefused(file, "key 'download'", "is a switch: use true or false");
    Files.writeString(file, "{\"dataset-option\": {\"split\": null}}");
    assertRefused(file, "key 'dataset-option.split'", "is null");
    Files.writeString(file, "{\"dataset-option\": {\"split\": [1]}}");
    assertRefused(file, "key 'dataset-option.split'", "is a JSON array");
    Files.writeString(file, "{\"dataset-option\": [\"split=peer\"]}");
    assertRefused(file, "key 'dataset-option'", "is a JSON array", "KEY=VALUE pairs");
    Files.writeString(file, "{\"dataset-option\": 5}");
    assertRefused(file, "key 'dataset-option'", "KEY=VALUE");
    Files.writeString(file, "{\"plugins\": [[\"dir\"]]}");
    assertRefused(file, "key 'plugins[0]'", "is a JSON array");
    Files.writeString(file, "{\"iterations\": 5,");
    assertRefused(file, "is not a JSON object");
  }

  @Test
  void theCommandLineExitsWithTheUsageCodeAndOneLine(@TempDir Path temp) throws Exception {
    Path file = Files.writeString(temp.resolve("run.json"), "{\"method\": null}");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    int code;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code = Main.run("train", "--config=" + file);
    } finally {
      System.setErr(original);
    }
    String stderr = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, code, stderr);
    assertEquals(
        List.of("boml: key 'method' in " + file + " is null; give a value or remove the key"),
        stderr.lines().toList());
  }
}
