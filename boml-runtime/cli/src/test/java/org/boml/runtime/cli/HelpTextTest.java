package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every command's {@code --help} renders cleanly: picocli formats each description with {@code
 * String.format}, so a bare {@code %} (as in "10-25% more time") makes it print a warning and the
 * raw text instead.
 */
class HelpTextTest {
  @Test
  void everyCommandsHelpFormatsWithoutWarnings() {
    List<String> commands = List.copyOf(Main.commandLine().getSubcommands().keySet());
    assertTrue(commands.contains("train") && commands.contains("bench"), commands::toString);
    for (String command : commands) {
      CliRun run = CliRun.of(command, "--help");
      assertEquals(0, run.code(), () -> command + " --help: " + run.err());
      assertFalse(run.err().contains("picocli WARN"), () -> command + " --help: " + run.err());
      assertFalse(run.out().contains("%n"), () -> command + " --help: " + run.out());
    }
  }
}
