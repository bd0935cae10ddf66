package org.boml.runtime;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses and checks a list of compute devices, as given to {@code --devices}: {@code auto} (every
 * GPU the engine sees, else the CPU), {@code cpu}, {@code gpu} (every GPU), or GPUs by index,
 * {@code gpu0,gpu1}.
 *
 * <p>A GPU request on an engine that sees no GPU (the CPU build of libtorch) is refused with a
 * message that says how to load a CUDA build of libtorch instead.
 */
public final class Devices {
  /** The default: every GPU the engine sees, else the CPU. */
  public static final String AUTO = "auto";

  private Devices() {}

  /**
   * The devices named by a list, checked against the number of GPUs the engine sees.
   *
   * @param list {@code auto}, {@code cpu}, {@code gpu} or {@code gpuN[,gpuM...]}
   * @param gpuCount the number of GPUs the engine sees
   * @return the devices, in the order given, without repeats
   * @throws IllegalArgumentException if the list is malformed or names a GPU that is not there
   */
  public static List<Device> select(String list, int gpuCount) {
    String text = list == null ? "" : list.trim().toLowerCase(Locale.ROOT);
    if (text.isEmpty()) {
      throw new IllegalArgumentException(
          "--devices is empty; give auto, cpu, gpu (every GPU) or GPUs by index, e.g. gpu0,gpu1");
    }
    if (text.equals(AUTO)) {
      return gpuCount > 0 ? allGpus(gpuCount) : List.of(Device.cpu());
    }
    if (text.equals("cpu")) {
      return List.of(Device.cpu());
    }
    if (text.equals("gpu")) {
      requireGpus(text, gpuCount);
      return allGpus(gpuCount);
    }
    List<Device> devices = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      Device device = Device.gpu(gpuIndex(item.trim(), list));
      if (devices.contains(device)) {
        throw new IllegalArgumentException(
            "--devices " + list + " names " + item.trim() + " twice; list each GPU once");
      }
      devices.add(device);
    }
    requireGpus(list, gpuCount);
    for (Device device : devices) {
      if (device.getDeviceId() >= gpuCount) {
        throw new IllegalArgumentException(
            "--devices "
                + list
                + " asks for gpu"
                + device.getDeviceId()
                + " but the engine sees "
                + gpuCount
                + " GPU(s), gpu0 to gpu"
                + (gpuCount - 1));
      }
    }
    return List.copyOf(devices);
  }

  private static int gpuIndex(String item, String list) {
    if (item.equals("cpu")) {
      throw new IllegalArgumentException(
          "--devices "
              + list
              + " mixes the CPU with GPUs; tasks on the CPU would hold the GPUs back, so give"
              + " either cpu or GPUs");
    }
    if (!item.matches("gpu[0-9]{1,4}")) {
      throw new IllegalArgumentException(
          "--devices "
              + list
              + ": '"
              + item
              + "' is not a device; give auto, cpu, gpu (every GPU) or GPUs by index, e.g."
              + " gpu0,gpu1");
    }
    return Integer.parseInt(item.substring(3));
  }

  private static List<Device> allGpus(int gpuCount) {
    List<Device> gpus = new ArrayList<>();
    for (int i = 0; i < gpuCount; i++) {
      gpus.add(Device.gpu(i));
    }
    return List.copyOf(gpus);
  }

  private static void requireGpus(String list, int gpuCount) {
    if (gpuCount == 0) {
      throw new IllegalArgumentException(
          "--devices "
              + list
              + " asks for a GPU, but DJL's PyTorch engine sees none: this build runs the CPU"
              + " libtorch (ai.djl.pytorch:pytorch-native-cpu). To use CUDA, point"
              + " PYTORCH_LIBRARY_PATH at a libtorch 2.7.1 directory built for CUDA 12.8 and set"
              + " PYTORCH_FLAVOR=cu128 (the pytorch-jni jar already holds the cu128 JNI library);"
              + " otherwise use --devices cpu.");
    }
  }
}
