package org.boml.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** BomlApi.VERSION is what plugins compare against; it must equal the module's own version. */
class BomlApiVersionTest {
  @Test
  void constantMatchesTheModuleVersion() {
    String moduleVersion =
        BomlApi.class
            .getModule()
            .getDescriptor()
            .rawVersion()
            .orElseThrow(
                () -> new AssertionError("boml-api must be compiled with --module-version"));
    assertEquals(moduleVersion, BomlApi.VERSION);
    assertEquals(BomlApi.MODULE, BomlApi.class.getModule().getName());
  }
}
