package org.boml.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchConfigurationTest {
  @Test
  void mamlGroupIsThePeersTimingMatrix() {
    List<BenchConfiguration> maml = BenchConfiguration.select(List.of("maml"), 5);
    assertEquals(
        List.of("so-T1", "so-T5", "so-T10", "fo-T1", "fo-T5", "fo-T10"),
        maml.stream().map(BenchConfiguration::name).toList());
    assertTrue(maml.get(1).secondOrder());
    assertEquals("rhg", maml.get(1).hypergradient());
    assertEquals(Map.of("strategy", "replay"), maml.get(1).options());
    assertFalse(maml.get(4).secondOrder());
    assertEquals("fmaml", maml.get(4).hypergradient());
  }

  @Test
  void horizonSweepHasThreeMethodsPerHorizon() {
    List<BenchConfiguration> sweep = BenchConfiguration.select(List.of("horizon"), 7);
    assertEquals(12, sweep.size());
    BenchConfiguration replay = BenchConfiguration.select(List.of("RHG-replay-T50"), 7).get(0);
    assertEquals(Map.of("strategy", "replay"), replay.options());
    assertEquals(50, replay.steps());
    assertEquals(Map.of("truncation", "7"), sweep.get(2).options());
  }

  @Test
  void selectionKeepsOrderWithoutRepeats() {
    assertEquals(
        List.of("fo-T5", "so-T5"),
        BenchConfiguration.select(List.of("fo-T5", "so-T5", "fo-t5"), 5).stream()
            .map(BenchConfiguration::name)
            .toList());
    assertEquals(18, BenchConfiguration.select(List.of("all", "so-T1"), 5).size());
  }

  @Test
  void unknownNameListsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BenchConfiguration.select(List.of("so-T7"), 5));
    assertTrue(e.getMessage().contains("so-T5"), e.getMessage());
  }
}
