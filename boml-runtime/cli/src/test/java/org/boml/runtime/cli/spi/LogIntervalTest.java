package org.boml.runtime.cli.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LogInterval}: every {@code N}th iteration and the last, or never. */
class LogIntervalTest {
  private static List<Integer> due(int every, int iterations) {
    List<Integer> due = new ArrayList<>();
    for (int iteration = 1; iteration <= iterations; iteration++) {
      if (LogInterval.isDue(every, iteration, iterations)) {
        due.add(iteration);
      }
    }
    return due;
  }

  @Test
  void everyNthIterationAndTheLast() {
    assertEquals(List.of(3, 6, 7), due(3, 7));
    assertEquals(List.of(3, 6), due(3, 6));
    assertEquals(List.of(1, 2, 3), due(1, 3));
    assertEquals(List.of(4), due(10, 4));
  }

  @Test
  void neverWhereTheIntervalIsNotPositive() {
    assertEquals(List.of(), due(0, 5));
    assertEquals(List.of(), due(-2, 5));
  }
}
