package org.boml.hyperclean;

/**
 * How well a set of flagged examples finds the corrupted ones: precision (flagged that are
 * corrupted), recall (corrupted that are flagged) and their harmonic mean F1.
 *
 * @param flagged how many examples are flagged
 * @param precision true positives / flagged (0 when nothing is flagged)
 * @param recall true positives / corrupted (0 when nothing is corrupted)
 * @param f1 {@code 2 precision recall / (precision + recall)} (0 when both are 0)
 */
public record Detection(int flagged, double precision, double recall, double f1) {
  /**
   * Compares flags with the truth.
   *
   * @param flags which examples the detector flags
   * @param corrupted which examples are corrupted
   * @return the scores
   */
  public static Detection of(boolean[] flags, boolean[] corrupted) {
    if (flags.length != corrupted.length) {
      throw new IllegalArgumentException(
          flags.length + " flags for " + corrupted.length + " examples");
    }
    int flagged = 0;
    int truePositives = 0;
    int positives = 0;
    for (int i = 0; i < flags.length; i++) {
      flagged += flags[i] ? 1 : 0;
      positives += corrupted[i] ? 1 : 0;
      truePositives += flags[i] && corrupted[i] ? 1 : 0;
    }
    double precision = flagged == 0 ? 0 : (double) truePositives / flagged;
    double recall = positives == 0 ? 0 : (double) truePositives / positives;
    return new Detection(flagged, precision, recall, harmonicMean(precision, recall));
  }

  /**
   * The best expected F1 of a detector that ignores the data, for a fraction {@code rate} of
   * corrupted examples. Flagging each example with probability {@code q} independently of the data
   * gives precision {@code rate} and recall {@code q}, so F1 {@code 2 rate q / (rate + q)}, largest
   * at {@code q = 1} (flag everything): {@code 2 rate / (1 + rate)}, i.e. 2/3 at half corruption.
   *
   * @param rate the fraction of corrupted examples
   * @return the chance-level F1
   */
  public static double chanceF1(double rate) {
    return harmonicMean(rate, 1);
  }

  private static double harmonicMean(double a, double b) {
    return a + b == 0 ? 0 : 2 * a * b / (a + b);
  }
}
