package org.boml.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.junit.jupiter.api.Test;

/** The PyTorch engine as the runtime finds it: through ServiceLoader, behind the SPI. */
class PyTorchComputeEngineTest {
  @Test
  void serviceLoaderFindsThisEngineAndItsDifferentiator() {
    ComputeEngine engine = ComputeEngines.get();
    assertInstanceOf(PyTorchComputeEngine.class, engine);
    assertEquals("PyTorch", engine.name());
    assertSame(TorchDifferentiator.get(), engine.differentiator());
  }

  @Test
  void intraOpThreadsAreDjlsSettingAndAtLeastOne() {
    ComputeEngine engine = new PyTorchComputeEngine();
    String before = System.getProperty(PyTorchComputeEngine.INTRA_OP);
    try {
      engine.setIntraOpThreads(3);
      assertEquals("3", System.getProperty(PyTorchComputeEngine.INTRA_OP));
      assertEquals(3, engine.intraOpThreads());
      System.clearProperty(PyTorchComputeEngine.INTRA_OP);
      assertEquals(0, engine.intraOpThreads());
      assertThrows(IllegalArgumentException.class, () -> engine.setIntraOpThreads(0));
    } finally {
      if (before == null) {
        System.clearProperty(PyTorchComputeEngine.INTRA_OP);
      } else {
        System.setProperty(PyTorchComputeEngine.INTRA_OP, before);
      }
    }
  }

  @Test
  void withoutGpusTheAdviceSaysHowToLoadCuda() {
    String help = new PyTorchComputeEngine().gpuHelp();
    assertTrue(
        help.contains("PYTORCH_LIBRARY_PATH")
            && help.contains("PYTORCH_FLAVOR=cu128")
            && help.contains("pytorch-native-cpu"),
        help);
  }
}
