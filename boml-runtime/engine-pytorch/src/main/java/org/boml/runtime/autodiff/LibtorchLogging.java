package org.boml.runtime.autodiff;

import com.sun.jna.NativeLibrary;

/**
 * The level of libtorch's own C++ log ({@code LOG(WARNING)} and up, written straight to stderr).
 *
 * <p>libtorch 2.7.1 logs {@code Could not initialize NNPACK! Reason: Unsupported hardware.} at
 * every float32 convolution of a batch of 16 or more on a CPU whose cache sizes NNPACK cannot read
 * (as on virtual machines that hide them): a line per convolution, and harmless, since libtorch
 * then computes the convolution without NNPACK. So BOML shows libtorch's C++ log from {@code ERROR}
 * up unless {@code TORCH_CPP_LOG_LEVEL} is set ({@code INFO}, {@code WARNING}, {@code ERROR} or
 * {@code FATAL}, as in PyTorch), which then decides.
 */
final class LibtorchLogging {
  /** The environment variable that sets the level, as in PyTorch. */
  static final String ENVIRONMENT = "TORCH_CPP_LOG_LEVEL";

  private static final String LIBRARY = "libc10.so";
  private static final String LEVEL_FLAG = "FLAGS_caffe2_log_level";
  private static final String INIT_LOGGING = "_ZN3c1011initLoggingEv";

  /** c10's numeric level of {@code ERROR} ({@code INFO} 0, {@code WARNING} 1, {@code FATAL} 3). */
  static final int ERROR = 2;

  private LibtorchLogging() {}

  /** Applies {@code TORCH_CPP_LOG_LEVEL} where it is set, else the level {@code ERROR}. */
  static void configure() {
    NativeLibrary c10 = LoadedLibraries.get(LIBRARY);
    String requested = System.getenv(ENVIRONMENT);
    if (requested != null && !requested.isBlank()) {
      // c10 reads the variable itself; libtorch calls this only from PyTorch's Python module
      c10.getFunction(INIT_LOGGING).invokeVoid(new Object[0]);
    } else {
      c10.getGlobalVariableAddress(LEVEL_FLAG).setInt(0, ERROR);
    }
  }

  /**
   * The level in force.
   *
   * @return c10's numeric level
   */
  static int level() {
    return LoadedLibraries.get(LIBRARY).getGlobalVariableAddress(LEVEL_FLAG).getInt(0);
  }
}
