package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Plugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lookup by service and name, and the error for a name that is not there. */
class PluginLookupTest {
  private static final PluginInfo RHG = info(FakeProviders.hypergradient("rhg", "1.0.0", "1.0"));
  private static final PluginInfo FHG = info(FakeProviders.hypergradient("fhg", "1.0.0", "1.0"));
  private static final PluginInfo SINUSOID = info(FakeProviders.dataset("sinusoid"));

  private static PluginInfo info(Plugin provider) {
    return new PluginInfo(provider, "org.example", "/p/" + provider.name() + ".jar");
  }

  private static String unknown(PluginLookup lookup, Class<? extends Plugin> type, String name) {
    return assertThrows(PluginException.class, () -> lookup.find(type, name)).getMessage();
  }

  @Test
  void providersAreSortedByKindThenNameAndFoundByServiceAndName() {
    PluginLookup lookup = new PluginLookup(List.of(SINUSOID, RHG, FHG), List.of());
    assertEquals(List.of(FHG, RHG, SINUSOID), lookup.plugins());
    assertSame(RHG.provider(), lookup.find(HypergradientModuleProvider.class, "rhg"));
    assertEquals(
        List.of(FHG.provider(), RHG.provider()), lookup.all(HypergradientModuleProvider.class));
    assertEquals(List.of(), lookup.all(IterationModuleProvider.class));
  }

  @ParameterizedTest(name = "{1} ''{0}''")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          rgh      | org.boml.api.HypergradientModuleProvider | Unknown hypergradient module 'rgh'; did you mean 'rhg'? Available: fhg, rhg.
          omniglot | org.boml.api.DatasetProvider             | Unknown dataset 'omniglot'. Available: sinusoid.
          gd       | org.boml.api.IterationModuleProvider     | Unknown iteration module 'gd'. Available: none.
          zzz      | org.boml.api.Plugin                      | Unknown plugin 'zzz'. Available: fhg, rhg, sinusoid.
          """)
  void anUnknownNameSuggestsTheNearestOfItsKindAndListsThem(
      String name, Class<? extends Plugin> type, String expected) {
    PluginLookup lookup = new PluginLookup(List.of(RHG, FHG, SINUSOID), List.of());
    assertEquals(
        expected + " Run './boml plugins' to list every plugin.", unknown(lookup, type, name));
  }

  @Test
  void aRefusalThatNamesTheNameIsGivenAlone() {
    PluginLookup lookup =
        new PluginLookup(
            List.of(RHG),
            List.of(
                "corrupt or unreadable plugin jar /p/x.jar: bad",
                "hypergradient plugin 'hoag' 0.1 in /p/hoag.jar was built against BOML API 2.0"));
    assertEquals(
        "Unknown hypergradient module 'hoag' (hypergradient plugin 'hoag' 0.1 in /p/hoag.jar was"
            + " built against BOML API 2.0). Available: rhg. Run './boml plugins' to list every"
            + " plugin.",
        unknown(lookup, HypergradientModuleProvider.class, "hoag"));
  }

  @Test
  void otherwiseEveryRefusalIsAPossibleCause() {
    PluginLookup lookup = new PluginLookup(List.of(RHG), List.of("refusal one", "refusal two"));
    assertEquals(
        "Unknown hypergradient module 'darts' (it may be in a jar that was refused: refusal one;"
            + " refusal two). Available: rhg. Run './boml plugins' to list every plugin.",
        unknown(lookup, HypergradientModuleProvider.class, "darts"));
  }
}
