package org.boml.runtime.autodiff;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * libtorch's intra-op threads for the calling thread alone: OpenMP's team size ({@code
 * omp_set_num_threads}) and MKL's threads ({@code MKL_Set_Num_Threads_Local}) are settings of a
 * thread, and libtorch's parallel kernels read them on the thread that calls them. DJL's {@code
 * setNumThreads} sets libtorch's count for the whole process instead, and resizes the thread pool
 * that NNPACK shares between threads. Both functions are found through the loaded {@code
 * libtorch_cpu} library, which links them.
 */
public final class ThreadWidth {
  private ThreadWidth() {}

  /** The two native setters, looked up once. */
  private static final class Setters {
    private static final NativeLibrary TORCH = LoadedLibraries.get("libtorch_cpu.so");
    private static final Function OPEN_MP = TORCH.getFunction("omp_set_num_threads");
    private static final Function MKL = TORCH.getFunction("MKL_Set_Num_Threads_Local");
  }

  /**
   * Sets the calling thread's intra-op threads until it sets them again; other threads keep theirs.
   *
   * @param threads at least 1
   * @throws IllegalStateException if libtorch does not report the new count on this thread
   */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("intra-op threads must be at least 1, got " + threads);
    }
    // libtorch applies the process's count to a thread the first time the thread asks for it;
    // asking first keeps that from overwriting the count set here later.
    LibtorchSwitch.intraOpThreads();
    Setters.OPEN_MP.invokeVoid(new Object[] {threads});
    Setters.MKL.invokeInt(new Object[] {threads});
    int applied = LibtorchSwitch.intraOpThreads();
    if (applied != threads) {
      throw new IllegalStateException(
          "libtorch reports "
              + applied
              + " intra-op threads on this thread after setting "
              + threads);
    }
  }

  /**
   * The calling thread's intra-op threads as libtorch's kernels see them.
   *
   * @return the count
   */
  public static int get() {
    return LibtorchSwitch.intraOpThreads();
  }
}
