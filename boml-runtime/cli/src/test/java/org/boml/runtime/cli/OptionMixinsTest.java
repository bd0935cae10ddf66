package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option mixins that {@code train}, {@code evaluate} and {@code check-plugin} share: what each
 * parses, its default, and that the commands carry them.
 */
class OptionMixinsTest {
  /** A command line of one mixin alone. */
  private static CommandLine alone(Object mixin) {
    return new CommandLine(CommandSpec.forAnnotatedObject(mixin));
  }

  @Test
  void configOptionTakesTheFileThatConfigFileExpands() {
    ConfigOption config = new ConfigOption();
    CommandLine command = alone(config);
    command.parseArgs(ConfigFile.OPTION, "run.json");
    assertEquals(Path.of("run.json"), config.file);
    OptionSpec option = command.getCommandSpec().findOption(ConfigFile.OPTION);
    assertEquals("FILE", option.paramLabel());
    assertEquals(ConfigFile.OPTION, option.longestName());
  }

  @Test
  void configOptionIsUnsetWithoutTheFlag() {
    ConfigOption config = new ConfigOption();
    alone(config).parseArgs();
    assertNull(config.file);
  }

  @Test
  void jsonOptionIsASwitchThatIsOffByDefault() {
    JsonOption off = new JsonOption();
    alone(off).parseArgs();
    assertFalse(off.json);
    JsonOption on = new JsonOption();
    alone(on).parseArgs("--json");
    assertTrue(on.json);
    assertThrows(
        CommandLine.ParameterException.class, () -> alone(new JsonOption()).parseArgs("--json=x"));
  }

  @Test
  void dynamicsChoiceDefaultsToGradientDescentAndTakesAName() {
    DynamicsChoice defaulted = new DynamicsChoice();
    CommandLine command = alone(defaulted);
    command.parseArgs();
    assertEquals("gd", defaulted.dynamics);
    assertEquals(
        "<dynamics>", command.getCommandSpec().findOption(DynamicsChoice.OPTION).paramLabel());
    assertFalse(command.getParseResult().hasMatchedOption(DynamicsChoice.OPTION));
    DynamicsChoice given = new DynamicsChoice();
    CommandLine chosen = alone(given);
    chosen.parseArgs(DynamicsChoice.OPTION, "metasgd");
    assertEquals("metasgd", given.dynamics);
    assertTrue(chosen.getParseResult().hasMatchedOption(DynamicsChoice.OPTION));
  }

  /** Whether a built-in command carries a mixin of a type. */
  private static boolean carries(String command, Class<?> mixin) {
    return Main.commandLine()
        .getSubcommands()
        .get(command)
        .getCommandSpec()
        .mixins()
        .values()
        .stream()
        .anyMatch(m -> mixin.isInstance(m.userObject()));
  }

  @Test
  void theCommandsDeclareTheSharedOptions() {
    for (String command : List.of("train", "evaluate")) {
      assertTrue(carries(command, ConfigOption.class), command);
      assertTrue(carries(command, JsonOption.class), command);
    }
    for (String command : List.of("train", "check-plugin")) {
      assertTrue(carries(command, DynamicsChoice.class), command);
    }
    assertFalse(carries("bench", ConfigOption.class));
  }
}
