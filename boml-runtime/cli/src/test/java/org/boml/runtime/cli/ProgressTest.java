package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.Validation;
import org.junit.jupiter.api.Test;

/** The progress bar on a terminal and the log lines elsewhere. */
class ProgressTest {
  private static IterationReport report(int iteration, double accuracy, Validation validation) {
    return new IterationReport(iteration, 4, 0.5, accuracy, 2, 1e-3, 10.0 * iteration, validation);
  }

  private static String show(boolean terminal, double accuracy) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress =
        new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, 0);
    progress.accept(report(1, accuracy, null));
    progress.accept(report(2, accuracy, new Validation(0.75, accuracy / 2, 3)));
    progress.accept(report(3, accuracy, null));
    progress.accept(report(4, accuracy, null));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theBarShowsIterationEtaLossAndAccuracyOnOneLine() {
    String shown = show(true, 0.8);
    assertTrue(shown.startsWith("\r["), shown);
    assertEquals(1, shown.chars().filter(c -> c == '\n').count(), "one line, ended at the last");
    String last = shown.substring(shown.lastIndexOf('\r'));
    assertTrue(last.contains("[########################] iteration 4/4"), last);
    assertTrue(last.contains("eta 0m00s"), last);
    assertTrue(last.contains("meta-loss 0.5000"), last);
    assertTrue(last.contains("accuracy 80.0%"), last);
    assertTrue(last.contains("validation loss 0.7500 accuracy 40.0%"), last);
    String first = shown.substring(0, shown.indexOf('\r', 1));
    assertTrue(first.contains("iteration 1/4  eta 0m30s"), first);
  }

  @Test
  void withoutATerminalEachUpdateIsALogLineAndRegressionShowsNoAccuracy() {
    String shown = show(false, Double.NaN);
    String[] lines = shown.stripTrailing().split("\n", -1);
    assertEquals(4, lines.length, shown);
    assertTrue(lines[0].startsWith(" 25% iteration 1/4"), lines[0]);
    assertFalse(shown.contains("\r") || shown.contains("accuracy"), shown);
    assertTrue(lines[1].contains("validation loss 0.7500"), lines[1]);
  }
}
