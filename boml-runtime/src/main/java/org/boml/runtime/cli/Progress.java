package org.boml.runtime.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.boml.runtime.train.IterationReport;

/**
 * Shows training progress: a live bar with iteration, ETA and meta-loss on a terminal, plain log
 * lines every few seconds otherwise.
 */
final class Progress implements Consumer<IterationReport> {
  private static final int BAR_WIDTH = 24;
  private static final double TERMINAL_REFRESH_SECONDS = 0.2;
  private static final double LOG_INTERVAL_SECONDS = 10;

  private final PrintStream out;
  private final boolean terminal;
  private double lastShown = Double.NEGATIVE_INFINITY;
  private double smoothedLoss = Double.NaN;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void accept(IterationReport report) {
    smoothedLoss =
        Double.isNaN(smoothedLoss)
            ? report.upperObjective()
            : 0.95 * smoothedLoss + 0.05 * report.upperObjective();
    boolean last = report.iteration() == report.iterations();
    double interval = terminal ? TERMINAL_REFRESH_SECONDS : LOG_INTERVAL_SECONDS;
    if (!last && report.seconds() - lastShown < interval) {
      return;
    }
    lastShown = report.seconds();
    double fraction = (double) report.iteration() / report.iterations();
    double eta =
        report.iteration() == 0
            ? 0
            : report.seconds() / report.iteration() * (report.iterations() - report.iteration());
    String text =
        String.format(
            Locale.ROOT,
            "iteration %d/%d  meta-loss %.4f  |hypergradient| %.3g  elapsed %s  eta %s",
            report.iteration(),
            report.iterations(),
            smoothedLoss,
            report.hypergradientNorm(),
            duration(report.seconds()),
            duration(eta));
    if (terminal) {
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      out.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + text + "  ");
      if (last) {
        out.println();
      }
    } else {
      out.println(String.format(Locale.ROOT, "%3.0f%% %s", 100 * fraction, text));
    }
    out.flush();
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
