package org.boml.nas;

import java.util.List;

/**
 * What {@code boml nas} measured.
 *
 * @param genotype the derived cell, DARTS's text form
 * @param searchSeconds the wall time of the search
 * @param operationWeights the final {@code softmax(alpha)}, one row per search-space edge
 * @param derived the derived cell retrained from scratch
 * @param random the random cells retrained from scratch
 */
public record NasResult(
    String genotype,
    double searchSeconds,
    double[][] operationWeights,
    ArchitectureSearch.Retrained derived,
    List<ArchitectureSearch.Retrained> random) {
  /** Copies the list. */
  public NasResult {
    random = List.copyOf(random);
  }

  /**
   * The mean test accuracy of the random cells.
   *
   * @return the mean
   */
  public double randomMean() {
    return random.stream()
        .mapToDouble(ArchitectureSearch.Retrained::testAccuracy)
        .average()
        .orElseThrow();
  }

  /**
   * The sample standard deviation of the random cells' test accuracies (0 for one cell).
   *
   * @return the spread
   */
  public double randomSpread() {
    if (random.size() < 2) {
      return 0;
    }
    double mean = randomMean();
    double sum = 0;
    for (ArchitectureSearch.Retrained r : random) {
      sum += (r.testAccuracy() - mean) * (r.testAccuracy() - mean);
    }
    return Math.sqrt(sum / (random.size() - 1));
  }
}
