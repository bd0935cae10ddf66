package org.boml.runtime.engine;

import ai.djl.Device;
import java.util.OptionalLong;
import org.boml.api.Differentiator;

/**
 * What the BOML runtime needs from its tensor engine beyond DJL's engine-neutral API: the
 * differentiator, the preparation of a computing thread (autograd mode, thread count), the devices,
 * the intra-op threads, and the process-level facts a run reports (convolution kernels, native
 * allocator, resident memory).
 *
 * <p>A worker that has the cores to itself for a while can widen its own intra-op threads ({@link
 * #prepareWideThreads}, {@link #setCallingThreadIntraOpThreads}).
 *
 * <p>An implementation is found by {@link ComputeEngines#get()} through {@link
 * java.util.ServiceLoader}; it needs a public no-argument constructor and must be cheap to create.
 * The methods that need the native engine start it on first use; the others ({@link
 * #setIntraOpThreads}, {@link #intraOpThreads}, {@link #nativeAllocator}, {@link #peakMemoryMiB},
 * {@link #residentMemoryMiB}) never do, so thread settings can be made before the start.
 */
public interface ComputeEngine {
  /**
   * DJL's name of the engine, as {@code ai.djl.engine.Engine.getEngine(String)} takes it.
   *
   * @return the engine's name, e.g. {@code PyTorch}
   */
  String name();

  /**
   * The JVM-wide differentiator; the first call starts the engine.
   *
   * @return the differentiator
   * @throws IllegalStateException with a message that says how to fix a failed start
   */
  Differentiator differentiator();

  /**
   * Prepares the calling thread to compute: switches autograd on and applies the engine's intra-op
   * threads to it. Both are settings of a thread, so every thread that computes calls this before
   * its first operation (a task worker, before each task).
   */
  void prepareThread();

  /**
   * The number of GPUs the engine sees.
   *
   * @return 0 on a CPU-only build
   */
  int gpuCount();

  /**
   * What to do to get GPUs where {@link #gpuCount()} is 0, for the refusal of a GPU request.
   *
   * @return a clause such as "the engine sees none: ...", naming what to install or set
   */
  String gpuHelp();

  /**
   * The device to compute on: the first GPU where the engine has one, else the CPU.
   *
   * @return the default device
   */
  Device defaultDevice();

  /**
   * Sets the engine's intra-op threads; the engine reads the setting once, when it starts.
   *
   * @param threads at least 1
   */
  void setIntraOpThreads(int threads);

  /**
   * The intra-op threads set for this process, by {@link #setIntraOpThreads} or by the user.
   *
   * @return the number, or 0 when none was set (the engine's own default then applies)
   */
  int intraOpThreads();

  /**
   * Readies the engine for threads that widen, one at a time, to {@code threads} intra-op threads
   * with {@link #setCallingThreadIntraOpThreads}, for work that a thread does while the other
   * workers wait. Call it before computing with such threads: an engine may switch off kernels that
   * cannot use the wider threads, for the whole process. By default an engine cannot widen a single
   * thread and returns {@code false}.
   *
   * @param threads the widest intra-op count a thread will take, at least 1
   * @return whether threads can now widen to that count
   */
  default boolean prepareWideThreads(int threads) {
    return false;
  }

  /**
   * Sets the intra-op threads of the calling thread only, until it sets them again; every other
   * thread keeps its own. Only where {@link #prepareWideThreads} returned {@code true}.
   *
   * @param threads at least 1
   * @throws UnsupportedOperationException where the engine cannot set one thread's count
   */
  default void setCallingThreadIntraOpThreads(int threads) {
    throw new UnsupportedOperationException(
        name() + " cannot set the intra-op threads of a single thread");
  }

  /**
   * The float32 convolution kernels in use, with the reason they were chosen; starts the engine.
   *
   * @return a one-line description
   */
  String convolutionKernels();

  /**
   * The native memory allocator that serves this process's {@code malloc}, with the settings that
   * shape its memory where the engine knows them.
   *
   * @return e.g. {@code tcmalloc (thread caches at most 4 MiB)}, {@code system}, or {@code unknown}
   */
  String nativeAllocator();

  /**
   * The peak resident memory of this process so far.
   *
   * @return MiB, or NaN where the platform does not report it
   */
  double peakMemoryMiB();

  /**
   * The current resident memory of this process.
   *
   * @return MiB, or NaN where the platform does not report it
   */
  double residentMemoryMiB();

  /**
   * The bytes of native memory this process has allocated and not freed, as its allocator counts
   * them (unlike the resident set, the count is not raised by memory the allocator keeps cached),
   * so that the difference of two readings measures what the code in between keeps.
   *
   * @return bytes, or empty where the allocator does not say
   */
  OptionalLong nativeBytesInUse();
}
