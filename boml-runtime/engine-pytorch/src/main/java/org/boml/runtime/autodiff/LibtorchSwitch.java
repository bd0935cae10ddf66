package org.boml.runtime.autodiff;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The switches of libtorch's global context that choose its CPU convolution kernels, which DJL
 * exposes no call for: each is called through JNA in the {@code libtorch_cpu} library that this
 * process has loaded (found in {@code /proc/self/maps}, never by a search that could find another
 * copy), and applies to the whole process. {@link #intraOpThreads} and {@link #nnpackSupported}
 * read what they are chosen by.
 */
enum LibtorchSwitch {
  /**
   * oneDNN (MKL-DNN) for float32 convolutions: PyTorch's {@code torch.backends.mkldnn.enabled},
   * {@code at::globalContext().setUserEnabledMkldnn}.
   */
  ONEDNN("Mkldnn", "oneDNN"),

  /**
   * NNPACK for the forward pass of float32 convolutions of 16 images or more where oneDNN is off:
   * PyTorch's {@code torch.backends.nnpack.enabled}, {@code
   * at::globalContext().setUserEnabledNNPACK}.
   */
  NNPACK("NNPACK", "NNPACK");

  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";

  private final String setter;
  private final String getter;
  private final String label;

  LibtorchSwitch(String symbol, String label) {
    // both names have six letters: at::Context::setUserEnabled<symbol>(bool) and
    // at::Context::userEnabled<symbol>() const, mangled
    this.setter = "_ZN2at7Context20setUserEnabled" + symbol + "Eb";
    this.getter = "_ZNK2at7Context17userEnabled" + symbol + "Ev";
    this.label = label;
  }

  /**
   * Switches the kernels on or off for the whole process.
   *
   * @param enabled whether libtorch may use them
   * @throws IllegalStateException if the loaded libtorch cannot be found or did not take the change
   */
  void enable(boolean enabled) {
    NativeLibrary torch = LoadedLibraries.get(LIBRARY);
    torch.getFunction(setter).invokeVoid(new Object[] {context(torch), enabled});
    if (position(torch) != enabled) {
      throw new IllegalStateException(
          "libtorch did not switch " + label + " " + (enabled ? "on" : "off") + " in " + LIBRARY);
    }
  }

  /**
   * Whether libtorch may use the kernels now.
   *
   * @return the switch's position
   */
  boolean enabled() {
    return position(LoadedLibraries.get(LIBRARY));
  }

  private boolean position(NativeLibrary torch) {
    return cppBool(torch.getFunction(getter).invokeInt(new Object[] {context(torch)}));
  }

  /**
   * libtorch's intra-op threads as its parallel kernels see them, {@code at::get_num_threads()}:
   * what the kernels' choice depends on.
   *
   * @return the thread count
   */
  static int intraOpThreads() {
    return LoadedLibraries.get(LIBRARY)
        .getFunction("_ZN2at15get_num_threadsEv")
        .invokeInt(new Object[0]);
  }

  /**
   * Whether libtorch's NNPACK initializes on this CPU, {@code at::native::_nnpack_available()}. It
   * does not where NNPACK cannot read the CPU's cache sizes, as on virtual machines that hide them;
   * libtorch then logs a warning, which {@link LibtorchLogging} keeps quiet by default.
   *
   * @return whether NNPACK can compute convolutions here
   */
  static boolean nnpackSupported() {
    return cppBool(
        LoadedLibraries.get(LIBRARY)
            .getFunction("_ZN2at6native17_nnpack_availableEv")
            .invokeInt(new Object[0]));
  }

  /** A C++ {@code bool} returned to JNA as an int: only the register's lowest byte is set. */
  private static boolean cppBool(int register) {
    return (register & 0xff) != 0;
  }

  private static Pointer context(NativeLibrary torch) {
    return (Pointer) torch.getFunction(GLOBAL_CONTEXT).invoke(Pointer.class, new Object[0]);
  }
}
