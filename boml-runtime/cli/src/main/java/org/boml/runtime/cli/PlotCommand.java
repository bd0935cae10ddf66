package org.boml.runtime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.boml.runtime.plot.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code boml plot RUN_DIR}: writes a run's learning curves and its HTML page. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the learning curves of a run directory (train --out RUN_DIR) from its metrics.jsonl:"
          + " "
          + RunReport.LOSS
          + " (train and validation loss against the iteration), "
          + RunReport.ACCURACY
          + " (classification), and "
          + RunReport.PAGE
          + ", a page that shows them with the run's result and configuration. train writes"
          + " them at the end of every run; this also works on a run still in progress."
    })
final class PlotCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "The run directory.")
  Path directory;

  @Override
  public Integer call() throws IOException {
    for (Path file : RunReport.write(directory)) {
      System.out.println(file);
    }
    return 0;
  }
}
