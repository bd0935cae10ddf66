package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code boml check-plugin}: the exact rhg passes every row, the first-order approximation does
 * not.
 */
class CheckPluginIT {
  @Test
  void exactPluginPassesAndApproximationIsFlagged() {
    CliResult exact = BomlCli.run("check-plugin", "rhg", "--method-option", "strategy=replay");
    assertEquals(0, exact.exitCode(), exact.toString());
    assertEquals(
        8, exact.stdout().lines().filter(line -> line.endsWith(" pass")).count(), exact.toString());
    assertTrue(exact.stdout().contains("all checks passed"), exact.toString());
    CliResult approximate =
        BomlCli.run("check-plugin", "fmaml", "--plugins", AppLayout.pluginDir().toString());
    assertEquals(1, approximate.exitCode(), approximate.toString());
    assertTrue(approximate.stdout().contains("FAIL"), approximate.toString());
  }
}
