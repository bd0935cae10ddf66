package org.boml.hyperclean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Precision, recall and F1 of a detector, and the chance level. */
class DetectionTest {
  @Test
  void scoresAKnownCase() {
    boolean[] corrupted = {true, true, true, false, false, false};
    boolean[] flags = {true, true, false, true, false, false};
    Detection d = Detection.of(flags, corrupted);
    assertEquals(3, d.flagged());
    assertEquals(2.0 / 3, d.precision(), 1e-15);
    assertEquals(2.0 / 3, d.recall(), 1e-15);
    assertEquals(2.0 / 3, d.f1(), 1e-15);
    Detection none = Detection.of(new boolean[6], corrupted);
    assertEquals(0, none.f1());
    Detection all = Detection.of(new boolean[] {true, true, true, true, true, true}, corrupted);
    assertEquals(Detection.chanceF1(0.5), all.f1(), 1e-15);
  }

  @Test
  void chanceLevelIsFlaggingEverything() {
    assertEquals(2.0 / 3, Detection.chanceF1(0.5), 1e-15);
    assertEquals(2 * 0.2 / 1.2, Detection.chanceF1(0.2), 1e-15);
    assertEquals(0, Detection.chanceF1(0), 0);
    assertThrows(
        IllegalArgumentException.class, () -> Detection.of(new boolean[2], new boolean[3]));
  }
}
