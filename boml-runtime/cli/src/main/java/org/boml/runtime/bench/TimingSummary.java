package org.boml.runtime.bench;

import java.util.Arrays;

/**
 * Order statistics of per-iteration times, computed as the peer's {@code summarize}: quantiles by
 * linear interpolation between the sorted samples at position {@code (n - 1) p}.
 *
 * @param n the number of samples
 * @param median the median, seconds
 * @param p10 the 10th percentile
 * @param p90 the 90th percentile
 * @param q1 the first quartile
 * @param q3 the third quartile
 * @param min the smallest sample
 * @param max the largest sample
 * @param mean the mean
 */
public record TimingSummary(
    int n,
    double median,
    double p10,
    double p90,
    double q1,
    double q3,
    double min,
    double max,
    double mean) {

  /**
   * Summarizes samples.
   *
   * @param seconds at least one sample
   * @return the summary
   */
  public static TimingSummary of(double[] seconds) {
    if (seconds.length == 0) {
      throw new IllegalArgumentException("no timed iterations to summarize");
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    return new TimingSummary(
        sorted.length,
        quantile(sorted, 0.5),
        quantile(sorted, 0.1),
        quantile(sorted, 0.9),
        quantile(sorted, 0.25),
        quantile(sorted, 0.75),
        sorted[0],
        sorted[sorted.length - 1],
        Arrays.stream(sorted).average().orElseThrow());
  }

  /** The quantile {@code p} of sorted samples, interpolated linearly. */
  static double quantile(double[] sorted, double p) {
    double position = (sorted.length - 1) * p;
    int low = (int) Math.floor(position);
    int high = (int) Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  }
}
