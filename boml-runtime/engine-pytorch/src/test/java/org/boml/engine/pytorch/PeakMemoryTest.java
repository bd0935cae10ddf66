package org.boml.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeakMemoryTest {
  @Test
  void readsTheFiguresFromAStatusFile() {
    List<String> status = List.of("Name:\tjava", "VmHWM:\t  204800 kB", "VmRSS:\t  102400 kB");
    assertEquals(200.0, PeakMemory.parse(status, "VmHWM:"), 1e-12);
    assertEquals(100.0, PeakMemory.parse(status, "VmRSS:"), 1e-12);
    assertEquals(Double.NaN, PeakMemory.parse(status, "VmSwap:"));
  }

  @Test
  void thisProcessHasAPeakAtLeastItsCurrentMemory() {
    double current = PeakMemory.currentMiB();
    double peak = PeakMemory.peakMiB();
    assertTrue(current > 1 && peak >= current, current + " MiB now, peak " + peak);
  }
}
