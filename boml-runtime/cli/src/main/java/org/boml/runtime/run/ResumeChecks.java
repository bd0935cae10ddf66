package org.boml.runtime.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run directory must satisfy before {@code train --resume} continues it, so that a resumed
 * run never silently starts again, goes backwards, or hides a change of plugins. (The configuration
 * itself is checked by {@link RunDirectory#loadSpec()}, the checkpoint by {@link Checkpoint}.)
 */
public final class ResumeChecks {
  private ResumeChecks() {}

  /**
   * Refuses a run directory without a checkpoint: resuming it would train from iteration 0.
   *
   * @param run the run directory
   * @throws IOException naming the file and what to do instead
   */
  public static void requireCheckpoint(RunDirectory run) throws IOException {
    if (!Checkpoint.exists(run)) {
      throw new IOException(
          "nothing to resume: "
              + run.path().resolve(Checkpoint.FILE)
              + " does not exist (the run stopped before its first checkpoint, or the file was"
              + " removed). Start the run again from iteration 0 with train --out "
              + run.path()
              + " --overwrite and the options saved in "
              + run.path().resolve(RunDirectory.CONFIG));
    }
  }

  /**
   * Refuses a plan of fewer iterations than the checkpoint has completed.
   *
   * @param run the run directory
   * @param completed the iterations the checkpoint has completed
   * @param planned the iterations the run is to reach
   * @param fromCommandLine whether {@code planned} comes from {@code --iterations} (else from
   *     {@value RunDirectory#CONFIG})
   * @throws IllegalArgumentException with both numbers and what to give instead
   */
  public static void requireIterationsAhead(
      RunDirectory run, int completed, int planned, boolean fromCommandLine) {
    if (planned >= completed) {
      return;
    }
    String source =
        fromCommandLine
            ? "--iterations " + planned
            : run.path().resolve(RunDirectory.CONFIG) + " plans " + planned + " iterations, which";
    throw new IllegalArgumentException(
        source
            + " is fewer than the "
            + completed
            + " iterations the checkpoint of "
            + run.path()
            + " has already completed; a run cannot go back. Give --iterations "
            + completed
            + " (only evaluate again) or more");
  }

  /**
   * The plugins (and runtime) whose installed version differs from the one a run recorded.
   *
   * @param saved the versions in the run's configuration
   * @param installed the versions found now
   * @return one warning per difference, naming the plugin and both versions
   */
  public static List<String> versionChanges(
      Map<String, String> saved, Map<String, String> installed) {
    List<String> changes = new ArrayList<>();
    for (Map.Entry<String, String> entry : saved.entrySet()) {
      String now = installed.get(entry.getKey());
      if (now != null && !now.equals(entry.getValue())) {
        changes.add(
            "plugin '"
                + entry.getKey()
                + "' was version "
                + entry.getValue()
                + " when the run was saved but version "
                + now
                + " is installed; results may differ from those the saved version would give");
      }
    }
    return changes;
  }
}
