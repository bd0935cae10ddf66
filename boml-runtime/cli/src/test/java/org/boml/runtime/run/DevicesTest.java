package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing and checking of {@code --devices} lists against the GPUs an engine sees. */
class DevicesTest {
  /** An engine's advice on getting GPUs, as ComputeEngine.gpuHelp() gives it. */
  private static final String HELP = "the engine sees none: install its CUDA build";

  private static String refused(String list, int gpus) {
    return assertThrows(IllegalArgumentException.class, () -> Devices.select(list, gpus, HELP))
        .getMessage();
  }

  @Test
  void autoIsEveryGpuElseTheCpu() {
    assertEquals(List.of(Device.cpu()), Devices.select("auto", 0, HELP));
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), Devices.select("auto", 2, HELP));
  }

  @Test
  void namedDevicesKeepTheirOrder() {
    assertEquals(List.of(Device.cpu()), Devices.select("cpu", 4, HELP));
    assertEquals(List.of(Device.cpu()), Devices.select(" CPU ", 0, HELP));
    assertEquals(
        List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)), Devices.select("gpu", 3, HELP));
    assertEquals(List.of(Device.gpu(2), Device.gpu(0)), Devices.select("gpu2, gpu0", 3, HELP));
  }

  @Test
  void aGpuOnAnEngineWithoutGpusEndsWithTheEnginesAdvice() {
    for (String list : List.of("gpu0", "gpu", "gpu0,gpu1")) {
      String message = refused(list, 0);
      assertTrue(
          message.endsWith("asks for a GPU, but " + HELP + "; otherwise use --devices cpu."),
          message);
    }
  }

  @Test
  void badListsAreRefusedWithTheReason() {
    assertTrue(refused("gpu2", 2).contains("sees 2 GPU(s), gpu0 to gpu1"), refused("gpu2", 2));
    assertTrue(refused("gpu0,gpu0", 2).contains("twice"));
    assertTrue(refused("cpu,gpu0", 2).contains("mixes the CPU with GPUs"));
    assertTrue(refused("gpu0,cpu", 2).contains("mixes the CPU with GPUs"));
    for (String bad : List.of("cuda0", "gpu-1", "gpu0,", "tpu", "gpux")) {
      assertTrue(refused(bad, 2).contains("is not a device"), bad + ": " + refused(bad, 2));
    }
    assertTrue(refused("  ", 2).contains("empty"));
    assertTrue(refused(null, 2).contains("empty"));
  }
}
