package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.boml.api.BomlApi;
import org.boml.api.PluginKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery of the runtime's own providers on the module path, through the facade. Plugin jars in
 * directories, API mismatches and duplicates are covered in separate JVMs by the integration tests,
 * and each rule alone by the tests of its class ({@link ApiVersionPolicyTest}, {@link
 * DuplicatePolicyTest}, {@link PluginJarsTest}, {@link PluginLookupTest}, {@link
 * ProviderCheckTest}).
 */
class PluginRegistryTest {
  @Test
  void findsTheStandardPluginsWithTheirModuleVersionsAndLocation() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    assertEquals(List.of(), registry.problems());
    PluginInfo gd =
        registry.plugins().stream().filter(p -> p.name().equals("gd")).findFirst().orElseThrow();
    assertEquals(PluginKind.ITERATION, gd.kind());
    assertEquals("org.boml.plugins.basicdynamics", gd.module());
    assertEquals(BomlApi.VERSION, gd.provider().apiVersion());
    assertEquals(
        ModuleLayer.boot()
            .findModule("org.boml.plugins.basicdynamics")
            .orElseThrow()
            .getDescriptor()
            .rawVersion()
            .orElseThrow(),
        gd.provider().version());
    assertEquals("1.0.0", gd.provider().version(), "the plugin's own version, not the runtime's");
    assertTrue(
        registry.model("mlp") != null
            && registry.model("convnet") != null
            && registry.model("resnet") != null);
    assertTrue(registry.iteration("gd") == gd.provider());
  }

  @Test
  void unknownNamesSuggestTheNearestAndListTheAvailable() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    PluginException error = assertThrows(PluginException.class, () -> registry.model("mpl"));
    assertTrue(error.getMessage().contains("Unknown model 'mpl'"), error.getMessage());
    assertTrue(error.getMessage().contains("did you mean 'mlp'?"), error.getMessage());
    assertTrue(error.getMessage().contains("Available: convnet, mlp, resnet"), error.getMessage());
  }

  @Test
  void aMissingPluginDirectoryIsAnError(@TempDir Path temp) {
    Path missing = temp.resolve("nowhere");
    PluginException error =
        assertThrows(PluginException.class, () -> PluginRegistry.discover(List.of(missing)));
    assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
  }

  @Test
  void aCorruptJarIsRefusedByName(@TempDir Path temp) throws Exception {
    Path jar = temp.resolve("broken.jar");
    Files.write(jar, new byte[] {1, 2, 3, 4, 5});
    PluginRegistry registry = PluginRegistry.discover(List.of(temp));
    assertEquals(1, registry.problems().size(), registry.problems().toString());
    assertTrue(registry.problems().get(0).contains(jar.toString()), registry.problems().get(0));
    List<String> warnings = new ArrayList<>();
    registry.warnAboutRefusals(warnings::add);
    assertEquals(
        List.of(
            "a plugin was refused and is left out (boml plugins lists it): "
                + registry.problems().get(0)),
        warnings);
    assertTrue(registry.iteration("gd") != null, "the other plugins are there");
    PluginException error =
        assertThrows(PluginException.class, () -> registry.hypergradient("broken"));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "Unknown hypergradient module 'broken' (it may be in a jar"
                    + " that was refused: corrupt or unreadable plugin jar "
                    + jar),
        error.getMessage());
    assertEquals(1, error.getMessage().lines().count(), error.getMessage());
  }

  @Test
  void withoutRefusalsAnUnknownNameSaysNothingAboutJars() {
    PluginRegistry registry = PluginRegistry.discover(List.of());
    List<String> warnings = new ArrayList<>();
    registry.warnAboutRefusals(warnings::add);
    assertEquals(List.of(), warnings);
    PluginException error =
        assertThrows(PluginException.class, () -> registry.hypergradient("broken"));
    assertFalse(error.getMessage().contains("refused"), error.getMessage());
  }

  @Test
  void anEmptyPluginDirectoryChangesNothing(@TempDir Path temp) {
    assertEquals(
        PluginRegistry.discover(List.of()).plugins().size(),
        PluginRegistry.discover(List.of(temp)).plugins().size());
  }
}
