package org.boml.runtime.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.Validation;

/**
 * Shows training progress: a live bar with iteration, ETA, meta-loss and (for classification) the
 * adapted models' accuracy on a terminal, plain log lines every few seconds otherwise. The loss and
 * accuracy shown are moving averages over recent iterations; the latest validation measurement, if
 * any, is shown beside them.
 */
final class Progress implements Consumer<IterationReport> {
  private static final int BAR_WIDTH = 24;
  private static final double TERMINAL_REFRESH_SECONDS = 0.2;
  private static final double LOG_INTERVAL_SECONDS = 10;

  private final PrintStream out;
  private final boolean terminal;
  private final double interval;
  private final MovingAverage loss = new MovingAverage();
  private final MovingAverage accuracy = new MovingAverage();
  private double lastShown = Double.NEGATIVE_INFINITY;
  private Validation validation;

  /**
   * Progress on a stream.
   *
   * @param out where to write
   * @param terminal whether {@code out} is a terminal (a live bar) or not (log lines)
   */
  Progress(PrintStream out, boolean terminal) {
    this(out, terminal, terminal ? TERMINAL_REFRESH_SECONDS : LOG_INTERVAL_SECONDS);
  }

  /** Progress that shows at most one update per {@code interval} seconds (and the last one). */
  Progress(PrintStream out, boolean terminal, double interval) {
    this.out = out;
    this.terminal = terminal;
    this.interval = interval;
  }

  @Override
  public void accept(IterationReport report) {
    loss.add(report.upperObjective());
    accuracy.add(report.accuracy());
    if (report.validation() != null) {
      validation = report.validation();
    }
    boolean last = report.iteration() == report.iterations();
    if (!last && report.seconds() - lastShown < interval) {
      return;
    }
    lastShown = report.seconds();
    double fraction = (double) report.iteration() / report.iterations();
    String text = describe(report);
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

  private String describe(IterationReport report) {
    double eta =
        report.iteration() == 0
            ? 0
            : report.seconds() / report.iteration() * (report.iterations() - report.iteration());
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "iteration %d/%d  eta %s  meta-loss %.4f",
                report.iteration(),
                report.iterations(),
                duration(eta),
                loss.value()));
    if (!Double.isNaN(accuracy.value())) {
      text.append(String.format(Locale.ROOT, "  accuracy %.1f%%", 100 * accuracy.value()));
    }
    if (validation != null) {
      text.append(String.format(Locale.ROOT, "  validation loss %.4f", validation.loss()));
      if (!Double.isNaN(validation.accuracy())) {
        text.append(String.format(Locale.ROOT, " accuracy %.1f%%", 100 * validation.accuracy()));
      }
    }
    text.append(
        String.format(
            Locale.ROOT,
            "  |hypergradient| %.3g  elapsed %s",
            report.hypergradientNorm(),
            duration(report.seconds())));
    return text.toString();
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  /** An exponential moving average that starts at the first value; NaN values are not counted. */
  private static final class MovingAverage {
    private double value = Double.NaN;

    void add(double sample) {
      if (Double.isNaN(sample)) {
        return;
      }
      value = Double.isNaN(value) ? sample : 0.95 * value + 0.05 * sample;
    }

    double value() {
      return value;
    }
  }
}
