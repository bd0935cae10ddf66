package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticTest {
  @Test
  void meanAndNormalConfidenceInterval() {
    Statistic s = Statistic.of(new double[] {1, 2, 3, 4});
    assertEquals(2.5, s.mean(), 1e-15);
    // sample sd = sqrt(5/3); half-width = 1.96 sd / 2
    assertEquals(1.96 * Math.sqrt(5.0 / 3) / 2, s.ci95(), 1e-15);
    assertEquals(4, s.count());
    assertTrue(s.toString().contains("2.5000 +- "), s.toString());
  }

  @Test
  void singleValueHasNoInterval() {
    assertTrue(Double.isNaN(Statistic.of(new double[] {7}).ci95()));
    assertThrows(IllegalArgumentException.class, () -> Statistic.of(new double[0]));
  }
}
