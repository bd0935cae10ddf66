package org.boml.runtime.autodiff;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Switches libtorch's use of oneDNN (MKL-DNN) for CPU convolutions on or off: the switch behind
 * PyTorch's {@code torch.backends.mkldnn.enabled}, {@code
 * at::globalContext().setUserEnabledMkldnn}. DJL exposes no call for it, so it is called through
 * JNA in the {@code libtorch_cpu} library that this process has loaded (found in {@code
 * /proc/self/maps}, never by a search that could find another copy).
 */
final class OneDnnSwitch {
  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledMkldnnEv";

  private OneDnnSwitch() {}

  /**
   * Switches oneDNN on or off for the whole process.
   *
   * @param enabled whether libtorch may use oneDNN
   * @throws IllegalStateException if the loaded libtorch cannot be found or did not take the change
   */
  static void enable(boolean enabled) {
    NativeLibrary torch = LoadedLibraries.get(LIBRARY);
    Pointer context =
        (Pointer) torch.getFunction(GLOBAL_CONTEXT).invoke(Pointer.class, new Object[0]);
    torch.getFunction(SET_ENABLED).invokeVoid(new Object[] {context, enabled});
    boolean now = torch.getFunction(IS_ENABLED).invokeInt(new Object[] {context}) != 0;
    if (now != enabled) {
      throw new IllegalStateException(
          "libtorch did not switch oneDNN " + (enabled ? "on" : "off") + " in " + LIBRARY);
    }
  }
}
