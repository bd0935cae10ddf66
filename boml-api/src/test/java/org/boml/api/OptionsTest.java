package org.boml.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final IterationModuleProvider PROVIDER =
      provider(
          "demo",
          List.of(
              new OptionSpec("lr", "0.1", "step"),
              new OptionSpec("steps", "3", "count"),
              new OptionSpec("mode", "a", "choice")));

  private static IterationModuleProvider provider(String name, List<OptionSpec> options) {
    return new IterationModuleProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return "test provider";
      }

      @Override
      public List<OptionSpec> options() {
        return options;
      }

      @Override
      public IterationModule create(Options given) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void givenValuesWinOverDefaults() {
    Options options = Options.forProvider(Map.of("lr", "0.5"), PROVIDER);
    assertEquals(0.5, options.getDouble("lr", v -> v > 0, "positive"));
    assertEquals(3, options.getInt("steps", 1));
    assertEquals(Map.of("lr", "0.5"), options.given());
  }

  @Test
  void unknownKeysAreRejectedWithTheAcceptedOnes() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> Options.forProvider(Map.of("lrr", "1"), PROVIDER));
    assertTrue(error.getMessage().contains("lrr"), error.getMessage());
    assertTrue(error.getMessage().contains("[lr, steps, mode]"), error.getMessage());
    assertTrue(error.getMessage().contains("iteration 'demo'"), error.getMessage());
  }

  @Test
  void invalidValuesNameTheOptionAndTheRule() {
    for (String bad : new String[] {"-1", "0", "NaN", "Infinity", "abc"}) {
      Options options = Options.forProvider(Map.of("lr", bad), PROVIDER);
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> options.getDouble("lr", v -> v > 0, "a positive number"));
      assertTrue(
          error.getMessage().contains("'lr'") && error.getMessage().contains("a positive number"),
          error.getMessage());
    }
    Options steps = Options.forProvider(Map.of("steps", "0"), PROVIDER);
    assertThrows(IllegalArgumentException.class, () -> steps.getInt("steps", 1));
    Options mode = Options.forProvider(Map.of("mode", "c"), PROVIDER);
    assertThrows(IllegalArgumentException.class, () -> mode.getChoice("mode", Set.of("a", "b")));
    assertEquals("a", Options.forProvider(Map.of(), PROVIDER).getChoice("mode", Set.of("a", "b")));
  }

  @Test
  void undeclaredLookupsFail() {
    assertThrows(IllegalArgumentException.class, () -> Options.empty().get("anything"));
  }

  @Test
  void describesTheGivenValuesInTheirOrderWithTheirOwner() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("mode", "b");
    given.put("lr", "0.5");
    assertEquals(
        "iteration 'demo'{mode=b,lr=0.5}", Options.forProvider(given, PROVIDER).toString());
    assertEquals("options{}", Options.empty().toString());
  }

  @Test
  void aProviderWithoutOptionsAcceptsNone() {
    IterationModuleProvider bare = provider("bare", List.of());
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> Options.forProvider(Map.of("lr", "1"), bare));
    assertEquals(
        "Unknown option(s) [lr] for iteration 'bare'; accepted: none", refused.getMessage());
  }
}
