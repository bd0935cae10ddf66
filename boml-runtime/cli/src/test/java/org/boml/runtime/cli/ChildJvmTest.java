package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChildJvmTest {
  @Test
  void launcherEndsAtTheMainModule() {
    List<String> arguments =
        List.of("-Xmx4g", "--module-path", "a.jar", "--module", "m/p.Main", "bench", "--json");
    assertEquals(
        Optional.of(
            List.of("/bin/java", "-Xmx4g", "--module-path", "a.jar", "--module", "m/p.Main")),
        ChildJvm.launcherOf("/bin/java", arguments));
    assertEquals(
        Optional.of(List.of("java", "--module=m/p.Main")),
        ChildJvm.launcherOf("java", List.of("--module=m/p.Main", "bench")));
  }

  @Test
  void noLauncherWithoutAMainModule() {
    assertTrue(ChildJvm.launcherOf("java", List.of("-cp", "x", "p.Main")).isEmpty());
  }
}
