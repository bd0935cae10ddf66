package org.boml.runtime.engine;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the process's {@link ComputeEngine} through {@link ServiceLoader}, once, the way DJL's
 * {@code Engine} finds its engine providers. Exactly one implementation must be on the module path
 * (or the class path); the BOML distribution ships {@code boml-engine-pytorch}.
 */
public final class ComputeEngines {
  /** The artifact that provides the engine, named in the error when none is found. */
  static final String PYTORCH_ARTIFACT = "org.boml:boml-engine-pytorch";

  private static volatile ComputeEngine instance;

  private ComputeEngines() {}

  /**
   * The compute engine of this process.
   *
   * @return the engine
   * @throws IllegalStateException if no engine, or more than one, is on the module path
   */
  public static ComputeEngine get() {
    ComputeEngine result = instance;
    if (result == null) {
      synchronized (ComputeEngines.class) {
        result = instance;
        if (result == null) {
          result =
              only(ServiceLoader.load(ComputeEngine.class).stream().map(p -> p.get()).toList());
          instance = result;
        }
      }
    }
    return result;
  }

  /** The one engine of a list of those found, or a one-line error naming the jar to add. */
  static ComputeEngine only(List<ComputeEngine> found) {
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no compute engine found: add the jar of "
              + PYTORCH_ARTIFACT
              + " (boml-engine-pytorch-*.jar, which provides "
              + ComputeEngine.class.getName()
              + ") to the module path beside boml-runtime");
    }
    if (found.size() > 1) {
      throw new IllegalStateException(
          "several compute engines found ("
              + found.stream().map(e -> e.getClass().getName()).collect(Collectors.joining(", "))
              + "); keep one engine jar on the module path");
    }
    return found.get(0);
  }
}
