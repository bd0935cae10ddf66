package org.boml.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimingSummaryTest {
  @Test
  void quantilesInterpolateLikeThePeer() {
    // sorted 1..5: (n-1)p = 0.4 for p10 -> 1.4; p90 -> 3.6 + 1 = 4.6; median 3
    TimingSummary s = TimingSummary.of(new double[] {5, 1, 4, 2, 3});
    assertEquals(5, s.n());
    assertEquals(3.0, s.median(), 1e-12);
    assertEquals(1.4, s.p10(), 1e-12);
    assertEquals(4.6, s.p90(), 1e-12);
    assertEquals(2.0, s.q1(), 1e-12);
    assertEquals(4.0, s.q3(), 1e-12);
    assertEquals(1.0, s.min(), 1e-12);
    assertEquals(5.0, s.max(), 1e-12);
    assertEquals(3.0, s.mean(), 1e-12);
  }

  @Test
  void medianOfAnEvenCountIsTheMidpoint() {
    assertEquals(2.5, TimingSummary.of(new double[] {4, 1, 2, 3}).median(), 1e-12);
  }

  @Test
  void refusesNoSamples() {
    assertThrows(IllegalArgumentException.class, () -> TimingSummary.of(new double[0]));
  }
}
