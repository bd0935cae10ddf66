package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginRegistry;

/**
 * What a plugin's test needs of the runtime, behind one facade: the autodiff that the runtime hands
 * to every plugin, and the plugins found on the test's module path (the plugin under test, the
 * runtime's built-in dynamics, and any plugin the test scope adds). A test written against these
 * methods and {@code org.boml.api} keeps working when the runtime's internals move.
 */
public final class TestKit {
  private TestKit() {}

  /** The plugins of the test's module path, discovered once (no plugin directories). */
  private static final class Discovered {
    static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());
  }

  /**
   * The runtime's differentiator, the one every plugin receives in training; it starts the engine
   * on first use.
   *
   * @return the differentiator
   */
  public static Differentiator differentiator() {
    return ComputeEngines.get().differentiator();
  }

  /**
   * Starts the compute engine (once per JVM; later calls return at once), for tests that create
   * arrays before they ask for a differentiator.
   */
  public static void startEngine() {
    differentiator();
  }

  /**
   * Which arrays take part in the runtime's autograd: leaves that require a gradient, or results of
   * operations on such arrays. A hypergradient without a graph has none.
   *
   * @param arrays the arrays
   * @return one flag per array
   */
  public static List<Boolean> requiresGradient(List<NDArray> arrays) {
    return TorchDifferentiator.get().requiresGradient(arrays);
  }

  /**
   * A hypergradient plugin found on the module path.
   *
   * @param name its name, e.g. {@code "rhg"}
   * @return its provider
   * @throws org.boml.runtime.plugin.PluginException naming the plugins there are if none has that
   *     name
   */
  public static HypergradientModuleProvider hypergradient(String name) {
    return plugins().hypergradient(name);
  }

  /**
   * A dynamics plugin found on the module path.
   *
   * @param name its name, e.g. {@code "gd"}
   * @return its provider
   * @throws org.boml.runtime.plugin.PluginException naming the plugins there are if none has that
   *     name
   */
  public static IterationModuleProvider dynamics(String name) {
    return plugins().iteration(name);
  }

  /**
   * The runtime's gradient-descent dynamics {@code y <- y - lr * grad_y f}, created through its
   * plugin ({@code gd}) as training creates it.
   *
   * @param learningRate the step size
   * @return the dynamics
   */
  public static IterationModule gradientDescent(double learningRate) {
    return dynamics("gd").create(Map.of("lr", Double.toString(learningRate)));
  }

  /**
   * The registry of the plugins on the module path, for what the methods above do not cover
   * (listing every dynamics, checking combinations).
   *
   * @return the registry, discovered once per test JVM
   */
  public static PluginRegistry plugins() {
    return Discovered.REGISTRY;
  }
}
