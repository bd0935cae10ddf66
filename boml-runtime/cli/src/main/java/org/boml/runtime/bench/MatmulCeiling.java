package org.boml.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The host's matrix-multiply ceiling as the benchmark sees it: float32 products of two {@code n x
 * n} matrices through libtorch (DJL), run by as many threads at once as the benchmark has task
 * workers, each with the process's libtorch intra-op threads, so that the ceiling uses the cores
 * the way the workload does. The figure is the combined rate of all threads, from the median time
 * of a round of products; a meta-iteration's analytic GFLOP/s divided by it says how close the
 * workload comes to what the host's best kernel achieves in the same run and conditions.
 */
public final class MatmulCeiling {
  /** The side of the matrices (the peer's measurement uses 2048). */
  public static final int SIDE = 2048;

  private static final int WARMUP_ROUNDS = 1;
  private static final int TIMED_ROUNDS = 5;

  private MatmulCeiling() {}

  /**
   * The floating-point operations of one product of two {@code n x n} matrices: {@code 2 n^3} (one
   * multiply and one add per term).
   *
   * @param n the side
   * @return the operations
   */
  public static double flops(int n) {
    return 2.0 * n * n * n;
  }

  /**
   * Measures the ceiling.
   *
   * @param threads the threads that multiply at once
   * @return GFLOP/s of all threads together
   */
  public static double measure(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape shape = new Shape(SIDE, SIDE);
      NDArray a = manager.randomUniform(-1, 1, shape, DataType.FLOAT32);
      NDArray b = manager.randomUniform(-1, 1, shape, DataType.FLOAT32);
      double[] seconds = new double[TIMED_ROUNDS];
      for (int round = 0; round < WARMUP_ROUNDS + TIMED_ROUNDS; round++) {
        double elapsed = round(pool, threads, a, b);
        if (round >= WARMUP_ROUNDS) {
          seconds[round - WARMUP_ROUNDS] = elapsed;
        }
      }
      return threads * flops(SIDE) / TimingSummary.of(seconds).median() / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One product on every thread, started together; the seconds until the last one ends. */
  private static double round(ExecutorService pool, int threads, NDArray a, NDArray b) {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> products = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      products.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                try (NDManager scope = NDManager.newBaseManager()) {
                  NDArray product = a.matMul(b);
                  product.attach(scope);
                  // reading one element waits for the product on any engine
                  product.get(0, 0).toFloatArray();
                }
                return null;
              }));
    }
    try {
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> product : products) {
        product.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the matmul ceiling", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the matmul ceiling failed: " + e.getCause(), e.getCause());
    }
  }
}
