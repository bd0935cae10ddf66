package org.boml.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.boml.runtime.autodiff.ThreadWidth;
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

  /**
   * The tests run libtorch on one intra-op thread. A new thread's small matrix products used to run
   * on a team of one OpenMP thread per core, whose helper the OpenMP runtime starts beside the
   * calling thread (it inherits that thread's name); a prepared thread runs them alone.
   */
  @Test
  void aPreparedThreadRunsSmallMatrixProductsOnItsIntraOpThreadsAlone() throws Exception {
    assumeTrue(
        Runtime.getRuntime().availableProcessors() > 1,
        "with one core, OpenMP's default team is one thread too");
    ComputeEngine engine = ComputeEngines.get();
    engine.prepareThread();
    String name = "boml-prep-test";
    AtomicLong threadsNamedSo = new AtomicLong();
    Thread thread =
        new Thread(
            () -> {
              engine.prepareThread();
              try (NDManager manager = NDManager.newBaseManager()) {
                NDArray features = manager.randomNormal(new Shape(10, 40));
                NDArray weights = manager.randomNormal(new Shape(40, 40));
                for (int i = 0; i < 50; i++) {
                  features.matMul(weights).close();
                }
                threadsNamedSo.set(threadsNamed(name));
              }
            },
            name);
    thread.start();
    thread.join();
    assertEquals(1, threadsNamedSo.get(), "threads named " + name + " after the products");
  }

  /**
   * A thread that sets its own intra-op count runs its large operations on a team of that many
   * threads (the OpenMP helpers take its name), narrows back, and leaves the other threads' counts
   * as they were.
   */
  @Test
  void aThreadWidensAndNarrowsItsOwnIntraOpThreadsOnly() throws Exception {
    ComputeEngine engine = ComputeEngines.get();
    engine.prepareThread();
    int before = ThreadWidth.get();
    String name = "boml-wide-test";
    AtomicInteger widened = new AtomicInteger();
    AtomicLong team = new AtomicLong();
    AtomicInteger narrowed = new AtomicInteger();
    Thread thread =
        new Thread(
            () -> {
              engine.prepareThread();
              engine.setCallingThreadIntraOpThreads(3);
              widened.set(ThreadWidth.get());
              try (NDManager manager = NDManager.newBaseManager()) {
                NDArray large = manager.randomNormal(new Shape(1 << 22));
                for (int i = 0; i < 5; i++) {
                  large.exp().close();
                }
                team.set(threadsNamed(name));
              }
              engine.setCallingThreadIntraOpThreads(before);
              narrowed.set(ThreadWidth.get());
            },
            name);
    thread.start();
    thread.join();
    assertEquals(3, widened.get());
    assertEquals(3, team.get(), "threads named " + name + " after the large operations");
    assertEquals(before, narrowed.get());
    assertEquals(before, ThreadWidth.get(), "the calling thread's count changed");
    assertThrows(IllegalArgumentException.class, () -> engine.setCallingThreadIntraOpThreads(0));
    assertThrows(IllegalArgumentException.class, () -> engine.prepareWideThreads(0));
  }

  private static long threadsNamed(String name) {
    return Arrays.stream(new File("/proc/self/task").listFiles())
        .filter(task -> name.equals(commandName(task)))
        .count();
  }

  private static String commandName(File task) {
    try {
      return Files.readString(new File(task, "comm").toPath()).trim();
    } catch (NoSuchFileException ended) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
