package org.boml.runtime.train;

/**
 * The mean of repeated measurements with the half-width of its 95% confidence interval, {@code 1.96
 * * sd / sqrt(n)} (normal approximation, sample standard deviation).
 *
 * @param mean the sample mean
 * @param ci95 the half-width of the 95% confidence interval
 * @param count the number of measurements
 */
public record Statistic(double mean, double ci95, int count) {
  /**
   * Summarizes measurements.
   *
   * @param values at least one value
   * @return mean and confidence interval
   */
  public static Statistic of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to summarize");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    if (values.length == 1) {
      return new Statistic(mean, Double.NaN, 1);
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(squares / (values.length - 1));
    return new Statistic(mean, 1.96 * sd / Math.sqrt(values.length), values.length);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%.4f +- %.4f (95%% CI, n=%d)", mean, ci95, count);
  }
}
