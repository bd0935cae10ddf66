package org.boml.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.runtime.engine.ComputeEngine;

/**
 * Lets the workers of one device run one task's upper pass at a time ({@link
 * UpperPasses#ONE_AT_A_TIME}). A task enters at its upper objective ({@link GatedProblem}) and
 * leaves after its final gradient ({@link GatedDifferentiator}) or when the task ends, whichever
 * comes first; while it is inside, the other workers wait before their next gradient. The worker
 * inside runs on {@code wideThreads} intra-op threads, its own count otherwise. An open gate
 * ({@link #OPEN}) lets every worker through.
 */
final class UpperPassGate {
  /** The gate of {@link UpperPasses#CONCURRENT}, and of a device with one worker: never waits. */
  static final UpperPassGate OPEN = new UpperPassGate(null, 0, 0);

  private final ComputeEngine engine;
  private final int ownThreads;
  private final int wideThreads;
  private Thread holder;

  /**
   * A closing gate.
   *
   * @param engine sets the intra-op threads of the worker inside, or {@code null} for an open gate
   * @param ownThreads the workers' own intra-op threads
   * @param wideThreads the intra-op threads of the worker inside, or 0 to leave its threads alone
   */
  UpperPassGate(ComputeEngine engine, int ownThreads, int wideThreads) {
    this.engine = engine;
    this.ownThreads = ownThreads;
    this.wideThreads = wideThreads;
  }

  /**
   * One gate per device pool of workers (see {@link TaskWorkers#threadsOf}): closing where the
   * schedule is {@link UpperPasses#ONE_AT_A_TIME} and the device has more than one worker, open
   * otherwise. The worker inside a gate widens to all its device's workers' threads where the
   * engine's intra-op threads are set and the engine can widen one thread.
   *
   * @param schedule the schedule
   * @param engine the engine
   * @param deviceCount the number of device pools
   * @param workers all the workers
   * @return the gates, by device pool
   */
  static List<UpperPassGate> forPools(
      UpperPasses schedule, ComputeEngine engine, int deviceCount, int workers) {
    List<UpperPassGate> gates = new ArrayList<>(deviceCount);
    for (int d = 0; d < deviceCount; d++) {
      int poolWorkers = TaskWorkers.threadsOf(d, deviceCount, workers);
      if (schedule == UpperPasses.CONCURRENT || poolWorkers < 2) {
        gates.add(OPEN);
        continue;
      }
      int own = engine.intraOpThreads();
      int wide = own * poolWorkers;
      boolean widens = own > 0 && engine.prepareWideThreads(wide);
      gates.add(new UpperPassGate(engine, own, widens ? wide : 0));
    }
    return gates;
  }

  /**
   * Whether workers can wait here.
   *
   * @return false for an open gate
   */
  boolean closes() {
    return engine != null;
  }

  /**
   * The intra-op threads of the worker inside.
   *
   * @return the count, or 0 where the worker keeps its own
   */
  int wideThreads() {
    return wideThreads;
  }

  /**
   * A problem whose upper objective enters this gate; the problem itself where the gate is open.
   *
   * @param problem the task's problem
   * @return the problem to hand to the hypergradient module
   */
  BilevelProblem guard(BilevelProblem problem) {
    return closes() ? new GatedProblem(problem, this) : problem;
  }

  /**
   * A differentiator that waits at this gate before every gradient and leaves it after a final
   * gradient; the differentiator itself where the gate is open.
   *
   * @param differentiator the engine's differentiator
   * @return the differentiator to hand to the hypergradient module
   */
  Differentiator guard(Differentiator differentiator) {
    return closes() ? new GatedDifferentiator(differentiator, this) : differentiator;
  }

  /** Enters, waiting while another worker is inside; a worker already inside stays. */
  synchronized void enter() {
    if (!closes() || holder == Thread.currentThread()) {
      return;
    }
    awaitFree();
    holder = Thread.currentThread();
    if (wideThreads > 0) {
      engine.setCallingThreadIntraOpThreads(wideThreads);
    }
  }

  /** Leaves, if the calling worker is inside, and wakes the waiting workers. */
  synchronized void leave() {
    if (holder != Thread.currentThread()) {
      return;
    }
    holder = null;
    try {
      if (wideThreads > 0) {
        engine.setCallingThreadIntraOpThreads(ownThreads);
      }
    } finally {
      notifyAll();
    }
  }

  /** Waits while another worker is inside. */
  synchronized void awaitTurn() {
    if (closes() && holder != Thread.currentThread()) {
      awaitFree();
    }
  }

  private void awaitFree() {
    while (holder != null) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while another task's upper pass ran", e);
      }
    }
  }
}
