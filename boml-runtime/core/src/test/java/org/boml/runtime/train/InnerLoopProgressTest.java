package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.junit.jupiter.api.Test;

class InnerLoopProgressTest {
  /**
   * Steps pass through unchanged; a line comes when ten seconds have passed since the last one, not
   * before, naming the task and the step reached.
   */
  @Test
  void saysWhichStepALongLoopReachedEveryTenSeconds() {
    Variables start = Variables.of(Map.of());
    List<Integer> seen = new ArrayList<>();
    IterationModule dynamics =
        (step, x, y, problem, differentiator, differentiable) -> {
          seen.add(step);
          return y;
        };
    AtomicLong clock = new AtomicLong(0);
    List<String> lines = new ArrayList<>();
    InnerLoopProgress progress =
        new InnerLoopProgress(dynamics, "iteration 1, task 0", 100_000, clock::get, lines::add);
    long second = 1_000_000_000L;
    for (int t = 0; t < 40; t++) {
      clock.addAndGet(second / 2); // half a second a step
      assertSame(start, progress.step(t, start, start, null, null, true));
    }
    assertEquals(40, seen.size());
    assertEquals(
        List.of(
            "iteration 1, task 0: inner step 20 of 100000",
            "iteration 1, task 0: inner step 40 of 100000"),
        lines);
  }
}
