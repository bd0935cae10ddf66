package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code boml check-plugin}: a tolerance that no error could meet, or every error meets, is refused
 * before any plugin is looked up (the command line prints the message after "boml: ").
 */
class CheckPluginCommandTest {
  @ParameterizedTest(name = "--tolerance {0}")
  @ValueSource(strings = {"NaN", "-1", "0", "Infinity", "-Infinity"})
  void aToleranceThatIsNotAFinitePositiveNumberIsRefusedBeforeAnyCheck(String tolerance) {
    CheckPluginCommand command = new CheckPluginCommand();
    new CommandLine(command).parseArgs("no-such-plugin", "--tolerance", tolerance);
    IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, command::call);
    assertEquals(
        "--tolerance must be a finite number > 0, got " + Double.parseDouble(tolerance),
        refusal.getMessage());
  }
}
