package org.boml.runtime.cli;

/** How the command line shares the cores between task workers and libtorch's intra-op threads. */
final class Threads {
  private static final String INTRA_OP = "ai.djl.pytorch.num_threads";

  private Threads() {}

  /**
   * Gives each task worker cores / workers intra-op threads. libtorch reads the setting once, when
   * the engine starts, so this must run before; an explicit -Dai.djl.pytorch.num_threads wins.
   *
   * @param workers the number of task workers
   */
  static void shareCoresBetween(int workers) {
    if (System.getProperty(INTRA_OP) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(INTRA_OP, Integer.toString(Math.max(1, cores / Math.max(1, workers))));
    }
  }
}
