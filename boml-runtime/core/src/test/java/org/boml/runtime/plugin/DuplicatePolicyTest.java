package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.boml.api.BomlApi;
import org.junit.jupiter.api.Test;

/** One provider per kind and name: every provider of a shared name is refused. */
class DuplicatePolicyTest {
  private static PluginInfo hypergradient(String name, String jar) {
    return new PluginInfo(
        FakeProviders.hypergradient(name, "1.0.0", BomlApi.VERSION), "org.example", jar);
  }

  @Test
  void providersWithNamesOfTheirOwnAreKeptInTheirOrder() {
    PluginInfo rhg = hypergradient("rhg", "/p/rhg.jar");
    PluginInfo fhg = hypergradient("fhg", "/p/fhg.jar");
    List<String> problems = new ArrayList<>();
    assertEquals(List.of(rhg, fhg), DuplicatePolicy.unique(List.of(rhg, fhg), problems));
    assertEquals(List.of(), problems);
  }

  @Test
  void everyProviderOfASharedNameIsRefusedInOneProblemNamingEachJar() {
    PluginInfo first = hypergradient("rhg", "/p/rhg-1.jar");
    PluginInfo other = hypergradient("fhg", "/p/fhg.jar");
    PluginInfo second = hypergradient("rhg", "/p/rhg-2.jar");
    PluginInfo third = hypergradient("rhg", "/p/rhg-3.jar");
    List<String> problems = new ArrayList<>();
    assertEquals(
        List.of(other), DuplicatePolicy.unique(List.of(first, other, second, third), problems));
    String type = first.provider().getClass().getName();
    assertEquals(
        List.of(
            "3 hypergradient plugins are named 'rhg': "
                + type
                + " in /p/rhg-1.jar and "
                + type
                + " in /p/rhg-2.jar and "
                + type
                + " in /p/rhg-3.jar; remove all but one"),
        problems);
  }

  @Test
  void providersOfDifferentKindsMayShareAName() {
    PluginInfo method = hypergradient("same", "/p/a.jar");
    PluginInfo dataset = new PluginInfo(FakeProviders.dataset("same"), "org.example", "/p/b.jar");
    List<String> problems = new ArrayList<>();
    assertEquals(
        List.of(method, dataset), DuplicatePolicy.unique(List.of(method, dataset), problems));
    assertEquals(List.of(), problems);
  }

  @Test
  void eachSharedNameIsOneProblemInTheOrderOfItsFirstProvider() {
    List<String> problems = new ArrayList<>();
    DuplicatePolicy.unique(
        List.of(
            hypergradient("b", "/p/b1.jar"),
            hypergradient("a", "/p/a1.jar"),
            hypergradient("b", "/p/b2.jar"),
            hypergradient("a", "/p/a2.jar")),
        problems);
    assertEquals(2, problems.size(), problems::toString);
    assertEquals(true, problems.get(0).startsWith("2 hypergradient plugins are named 'b': "));
    assertEquals(true, problems.get(1).startsWith("2 hypergradient plugins are named 'a': "));
  }
}
