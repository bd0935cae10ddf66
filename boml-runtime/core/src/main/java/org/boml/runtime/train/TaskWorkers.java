package org.boml.runtime.train;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker threads bound to devices: one pool per device, sharing the workers between them (at least
 * one each). Task {@code i} runs on device {@code i mod D}; results come back in task order, so
 * whatever reduces them sees the same sequence for any number of workers or devices.
 */
final class TaskWorkers implements AutoCloseable {
  /** Work on one task, on the device of the worker that runs it. */
  interface DeviceTask<T> {
    T run(int index, Device device) throws Exception;
  }

  private final List<Device> devices;
  private final List<ExecutorService> pools = new ArrayList<>();

  TaskWorkers(List<Device> devices, int workers) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("at least one device is needed");
    }
    this.devices = List.copyOf(devices);
    AtomicInteger threadNumber = new AtomicInteger();
    for (int d = 0; d < devices.size(); d++) {
      String prefix = "boml-worker-" + devices.get(d) + "-";
      pools.add(
          Executors.newFixedThreadPool(
              threadsOf(d, devices.size(), workers),
              runnable -> {
                Thread thread = new Thread(runnable, prefix + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              }));
    }
  }

  /**
   * How many of the workers serve device {@code d} of {@code deviceCount}: an even share, the first
   * devices taking the remainder, at least one.
   */
  static int threadsOf(int d, int deviceCount, int workers) {
    int share = workers / deviceCount + (d < workers % deviceCount ? 1 : 0);
    return Math.max(1, share);
  }

  /** The device of task {@code index}. */
  Device deviceOf(int index) {
    return devices.get(index % devices.size());
  }

  /**
   * Runs tasks {@code from .. to-1} and returns their results in task order. When one fails, the
   * tasks not yet started are skipped and the call returns only after the running ones have ended,
   * so no worker is still computing when the caller releases what the tasks use.
   */
  <T> List<T> runOrdered(int from, int to, DeviceTask<T> work) {
    AtomicBoolean abandoned = new AtomicBoolean();
    List<Future<T>> futures = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      final int index = i;
      Device device = deviceOf(index);
      futures.add(
          pools
              .get(index % devices.size())
              .submit(() -> abandoned.get() ? null : work.run(index, device)));
    }
    List<T> results = new ArrayList<>(futures.size());
    try {
      for (Future<T> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      abandoned.set(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for tasks", e);
    } catch (ExecutionException e) {
      abandoned.set(true);
      awaitEnd(futures);
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
    return results;
  }

  /** Waits until every task has ended; their own failures are not the first and are dropped. */
  private static void awaitEnd(List<? extends Future<?>> futures) {
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException | CancellationException later) {
        // the first failure is the one reported
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the workers and waits for a task still running (after an interrupt) to end. */
  @Override
  public void close() {
    pools.forEach(ExecutorService::shutdownNow);
    try {
      for (ExecutorService pool : pools) {
        pool.awaitTermination(1, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
