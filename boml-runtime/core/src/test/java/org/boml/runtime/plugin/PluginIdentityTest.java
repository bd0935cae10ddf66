package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.boml.api.HypergradientModuleProvider;
import org.junit.jupiter.api.Test;

/** Where a plugin comes from, as error messages name it. */
class PluginIdentityTest {
  @Test
  void createReturningNullNamesThePluginItsClassAndItsLocation() {
    HypergradientModuleProvider nullish =
        FakeProviders.hypergradient(() -> "nullish", () -> "d", List::of);
    PluginException error =
        assertThrows(
            PluginException.class,
            () -> PluginIdentity.created(nullish, "create", nullish.create(Map.of())));
    assertEquals(
        "hypergradient module 'nullish' 1.0.0 from "
            + PluginIdentity.locationOf(nullish.getClass())
            + ": "
            + nullish.getClass().getName()
            + ".create() returned null; a hypergradient module provider must return a new"
            + " hypergradient module or throw an exception that says why. Fix or remove the"
            + " plugin",
        error.getMessage());
    Object made = new Object();
    assertTrue(PluginIdentity.created(nullish, "create", made) == made);
  }
}
