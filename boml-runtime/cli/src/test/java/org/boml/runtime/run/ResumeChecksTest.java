package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed run is refused without a checkpoint and when asked to go back, and warned about plugins
 * whose version changed since the run was saved.
 */
class ResumeChecksTest {
  @Test
  void aRunWithoutACheckpointIsRefusedNamingTheFileAndWhatToDo(@TempDir Path temp)
      throws IOException {
    RunDirectory run = new RunDirectory(temp);
    run.saveSpec(new RunSpec());
    IOException error = assertThrows(IOException.class, () -> ResumeChecks.requireCheckpoint(run));
    assertTrue(
        error.getMessage().startsWith("nothing to resume: " + temp.resolve(Checkpoint.FILE))
            && error.getMessage().contains("--out " + temp + " --overwrite"),
        error.getMessage());
    Files.writeString(temp.resolve(Checkpoint.FILE), "x");
    ResumeChecks.requireCheckpoint(run);
  }

  @Test
  void fewerIterationsThanCompletedAreRefusedWithTheNumbers(@TempDir Path temp) {
    RunDirectory run = new RunDirectory(temp);
    IllegalArgumentException flag =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResumeChecks.requireIterationsAhead(run, 4, 2, true));
    assertTrue(
        flag.getMessage().startsWith("--iterations 2 is fewer than the 4 iterations")
            && flag.getMessage().contains("Give --iterations 4"),
        flag.getMessage());
    IllegalArgumentException saved =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResumeChecks.requireIterationsAhead(run, 4, 3, false));
    assertTrue(
        saved.getMessage().startsWith(temp.resolve(RunDirectory.CONFIG) + " plans 3 iterations"),
        saved.getMessage());
    ResumeChecks.requireIterationsAhead(run, 4, 4, true);
    ResumeChecks.requireIterationsAhead(run, 4, 9, true);
  }

  @Test
  void changedPluginVersionsAreNamedWithBothVersions() {
    List<String> changes =
        ResumeChecks.versionChanges(
            Map.of("rhg", "0.1.0", "gd", "0.1.0", "gone", "1.0"),
            Map.of("rhg", "0.2.0", "gd", "0.1.0"));
    assertEquals(1, changes.size(), changes.toString());
    assertTrue(
        changes
            .get(0)
            .startsWith(
                "plugin 'rhg' was version 0.1.0 when the run was saved but"
                    + " version 0.2.0 is installed"),
        changes.get(0));
  }
}
