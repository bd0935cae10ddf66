package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code boml check-plugin}: a tolerance that no error could meet, or every error meets, is
 * refused.
 */
class CheckPluginCommandTest {
  @ParameterizedTest(name = "--tolerance {0}")
  @ValueSource(strings = {"NaN", "-1", "0", "Infinity", "-Infinity"})
  void aToleranceThatIsNotAFinitePositiveNumberIsRefusedBeforeAnyCheck(String tolerance) {
    CliRun run = CliRun.of("check-plugin", "rhg", "--tolerance", tolerance);
    assertEquals(1, run.code(), run.err());
    assertTrue(
        run.err().startsWith("boml: --tolerance must be a finite number > 0, got "), run.err());
    assertEquals("", run.out(), "no table is printed");
  }
}
