package org.boml.engine.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine with BOML's defaults and turns start-up failures into actionable
 * messages.
 *
 * <p>BOML never downloads natives: unless the user set {@code ai.djl.offline} (or {@code
 * DJL_OFFLINE}) explicitly, offline mode is switched on before the engine starts, and libtorch is
 * extracted from the {@code pytorch-native-cpu} jar on the class path. Autograd is switched on in
 * the calling thread.
 */
public final class Engines {
  /** DJL's name of the PyTorch engine. */
  public static final String PYTORCH = "PyTorch";

  private Engines() {}

  /**
   * The PyTorch engine, started on first use.
   *
   * @return the engine
   * @throws IllegalStateException with a message that says how to fix a failed start
   */
  public static Engine pytorch() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      Engine engine = Engine.getEngine(PYTORCH);
      // DJL switches autograd off in the thread that starts the engine; BOML differentiates
      // everywhere (autograd mode is per thread and on by default in every other thread).
      JniUtils.setGradMode(true);
      return engine;
    } catch (EngineException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "DJL's PyTorch engine did not start: "
              + e.getMessage()
              + ". BOML runs offline: put ai.djl.pytorch:pytorch-native-cpu:2.7.1"
              + " (classifier linux-x86_64) on the class path, or point PYTORCH_LIBRARY_PATH at a"
              + " libtorch 2.7.1 directory and set PYTORCH_FLAVOR (cpu or cu128).",
          e);
    }
  }

  /**
   * The device to compute on: the first GPU where the engine has one, else the CPU.
   *
   * @return the default device
   */
  public static Device defaultDevice() {
    return pytorch().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
  }
}
