package org.boml.runtime.cli;

import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;

/** How the command line shares the cores between task workers and the engine's intra-op threads. */
final class Threads {
  private Threads() {}

  /**
   * Gives each task worker cores / workers intra-op threads. The engine reads the setting once,
   * when it starts, so this must run before; a setting the user made (for PyTorch, {@code
   * -Dai.djl.pytorch.num_threads}) wins.
   *
   * @param workers the number of task workers
   */
  static void shareCoresBetween(int workers) {
    ComputeEngine engine = ComputeEngines.get();
    if (engine.intraOpThreads() == 0) {
      int cores = Runtime.getRuntime().availableProcessors();
      engine.setIntraOpThreads(Math.max(1, cores / Math.max(1, workers)));
    }
  }
}
