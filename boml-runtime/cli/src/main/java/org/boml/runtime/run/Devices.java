package org.boml.runtime.run;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses and checks a list of compute devices, as given to {@code --devices}: {@code auto} (every
 * GPU the engine sees, else the CPU), {@code cpu}, {@code gpu} (every GPU), or GPUs by index,
 * {@code gpu0,gpu1}.
 *
 * <p>A GPU request on an engine that sees no GPU (the CPU build of libtorch) is refused with the
 * engine's own advice on how to get GPUs ({@link org.boml.runtime.engine.ComputeEngine#gpuHelp()}).
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
   * @param gpuHelp the engine's advice when it sees no GPU, ending the refusal of a GPU request
   * @return the devices, in the order given, without repeats
   * @throws IllegalArgumentException if the list is malformed or names a GPU that is not there
   */
  public static List<Device> select(String list, int gpuCount, String gpuHelp) {
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
      requireGpus(text, gpuCount, gpuHelp);
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
    requireGpus(list, gpuCount, gpuHelp);
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

  private static void requireGpus(String list, int gpuCount, String gpuHelp) {
    if (gpuCount == 0) {
      throw new IllegalArgumentException(
          "--devices "
              + list
              + " asks for a GPU, but "
              + gpuHelp
              + "; otherwise use --devices cpu.");
    }
  }
}
