package org.boml.metarl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.boml.api.IterationModule;
import org.boml.api.PluginKind;
import org.boml.api.Variables;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginInfo;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/**
 * Every hypergradient plugin on the module path against MAML-RL with {@code T = 1}: those that
 * support meta-initialization ({@code rhg}, {@code trhg}, {@code fmaml}) give a finite
 * meta-gradient, {@code trhg} with its default truncation {@code K = 5 >= T} exactly {@code rhg}'s;
 * those that need the meta-parameters inside the lower-level objective ({@code hoag}, {@code
 * darts}) are refused before any work, with a message naming the plugin.
 */
class PluginCombinationsTest {
  private static MetaRl.Settings settings(String method) {
    return new MetaRl.Settings(
        List.of(6, 5), 1, 0.1, 3, 0.99, 1, 1, 0.01, method, Map.of(), 2, 1, 0);
  }

  @Test
  void everyHypergradientPluginIsEitherUsableOrRefusedUpFront() {
    PluginRegistry plugins = PluginRegistry.discover(List.of());
    Set<String> usable = new TreeSet<>();
    Set<String> refused = new TreeSet<>();
    Map<String, Variables> gradients = new HashMap<>();
    PolicyTest.withManager(
        manager -> {
          GaussianMlpPolicy policy = new GaussianMlpPolicy(2, List.of(6, 5), 2);
          IterationModule gd =
              plugins.iteration(MetaRl.DYNAMICS).create(settings("rhg").dynamicsOptions());
          for (PluginInfo info : plugins.plugins()) {
            if (info.kind() != PluginKind.HYPERGRADIENT) {
              continue;
            }
            MetaRl.Settings settings = settings(info.name());
            try {
              MetaRl.requireCompatible(settings, plugins);
            } catch (IncompatiblePluginsException e) {
              assertTrue(e.getMessage().contains(info.name()), e.getMessage());
              refused.add(info.name());
              continue;
            }
            Variables x =
                policy
                    .initialize(manager, DataType.FLOAT64, 1)
                    .map(
                        value -> {
                          NDArray leaf = value.duplicate();
                          leaf.setRequiresGradient(true);
                          return leaf;
                        });
            PolicyGradientProblem problem =
                new PolicyGradientProblem(
                    new Navigation2d.Goal(-0.2, 0.35), policy, 3, 0.99, manager, 8);
            Variables gradient =
                plugins
                    .hypergradient(info.name())
                    .create(Map.of())
                    .compute(problem, gd, x, 1, TorchDifferentiator.get())
                    .gradient();
            double norm = Math.sqrt(gradient.dot(gradient));
            assertTrue(Double.isFinite(norm) && norm > 0, info.name() + ": norm " + norm);
            gradients.put(info.name(), gradient);
            usable.add(info.name());
          }
          Variables difference = gradients.get("trhg").zip(gradients.get("rhg"), NDArray::sub);
          assertTrue(
              Math.sqrt(difference.dot(difference)) <= 1e-12,
              "trhg with K >= T differs from rhg by " + Math.sqrt(difference.dot(difference)));
          return null;
        });
    assertEquals(Set.of("fmaml", "rhg", "trhg"), usable);
    assertEquals(Set.of("darts", "hoag"), refused);
  }
}
