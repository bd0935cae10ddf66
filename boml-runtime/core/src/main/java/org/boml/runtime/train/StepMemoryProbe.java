package org.boml.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;

/**
 * Measures the native memory one inner step keeps while the graph of every step is kept, for {@link
 * MetaLearner#stepMemory}: on the first task of the first iteration, after the initialization and
 * one step (which loads what a first call loads), further steps are taken until they have kept
 * {@link #PROBE_BYTES} (but at least {@link #PROBE_MIN_STEPS}) or {@link #PROBE_STEPS} steps have
 * run, never more than the run's inner steps; the result is the median of what the counter grew by
 * in each.
 */
final class StepMemoryProbe {
  /** The most steps taken. */
  static final int PROBE_STEPS = 200;

  /** The fewest steps taken where the run has that many. */
  static final int PROBE_MIN_STEPS = 5;

  /** The growth after which measuring stops, so that it keeps little memory. */
  static final long PROBE_BYTES = 32L << 20;

  private StepMemoryProbe() {}

  /**
   * Bytes per step, or empty off the CPU or with fewer than 2 inner steps; the task, its graph and
   * its activations are freed before this returns.
   */
  static OptionalLong measure(
      TaskRunner tasks,
      NDManager root,
      LearnerParts parts,
      Differentiator differentiator,
      LongSupplier bytesInUse) {
    int innerSteps = parts.config().innerSteps();
    if (!Device.Type.CPU.equals(parts.device().getDeviceType()) || innerSteps < 2) {
      return OptionalLong.empty();
    }
    String where = "measuring the memory of an inner step on iteration 1, task 0";
    IterationModule dynamics = parts.method().dynamics();
    try (NDManager taskManager = root.newSubManager()) {
      TaskRunner.TrainingTask training = tasks.trainingTask(taskManager, 0, 0, where);
      Variables x = training.x();
      try {
        Variables y = dynamics.initialize(x, training.problem(), differentiator);
        y = dynamics.step(0, x, y, training.problem(), differentiator, true);
        List<Long> increments = new ArrayList<>();
        long grown = 0;
        long last = bytesInUse.getAsLong();
        while (increments.size() + 1 < innerSteps
            && increments.size() < PROBE_STEPS
            && (increments.size() < PROBE_MIN_STEPS || grown < PROBE_BYTES)) {
          y = dynamics.step(increments.size() + 1, x, y, training.problem(), differentiator, true);
          long now = bytesInUse.getAsLong();
          increments.add(now - last);
          grown += now - last;
          last = now;
        }
        // the median: other threads (the JIT compiler, the garbage collector) allocate and free
        // too, and the counter is the process's, but they rarely do so inside most steps
        Collections.sort(increments);
        return OptionalLong.of(Math.max(0, increments.get(increments.size() / 2)));
      } catch (RuntimeException e) {
        throw TaskRunner.fault(where, parts.method().dynamicsIdentity().toString(), e);
      }
    }
  }
}
