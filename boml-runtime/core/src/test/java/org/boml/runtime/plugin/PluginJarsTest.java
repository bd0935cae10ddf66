package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.boml.api.BomlApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars of plugin directories and the module layer made of them, with jars that hold an
 * automatic module of a chosen name (a manifest and nothing else).
 */
class PluginJarsTest {
  @TempDir Path temp;

  /** A jar whose only entry is a manifest naming its automatic module. */
  private static Path moduleJar(Path directory, String file, String module) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Automatic-Module-Name", module);
    Path jar = Files.createDirectories(directory).resolve(file);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream unused = new JarOutputStream(out, manifest)) {
      // the manifest is all it holds
    }
    return jar;
  }

  @Test
  void eachModuleIsFoundInItsJarInTheOrderOfDirectoriesAndPaths() throws IOException {
    Path b = moduleJar(temp.resolve("one"), "b.jar", "org.example.b");
    Path a = moduleJar(temp.resolve("one"), "a.jar", "org.example.a");
    Path c = moduleJar(temp.resolve("two"), "c.jar", "org.example.c");
    Files.writeString(temp.resolve("one/notes.txt"), "not a jar");
    List<String> problems = new ArrayList<>();
    Map<String, Path> found =
        PluginJars.byModule(List.of(temp.resolve("one"), temp.resolve("two")), problems);
    assertEquals(
        List.of("org.example.a", "org.example.b", "org.example.c"), List.copyOf(found.keySet()));
    assertEquals(List.of(a, b, c), List.copyOf(found.values()));
    assertEquals(List.of(), problems);
  }

  @Test
  void aModuleInTwoJarsIsLoadedFromTheFirstAndTheSecondRefused() throws IOException {
    Path first = moduleJar(temp.resolve("one"), "twin-1.jar", "org.example.twin");
    Path second = moduleJar(temp.resolve("two"), "twin-2.jar", "org.example.twin");
    List<String> problems = new ArrayList<>();
    Map<String, Path> found =
        PluginJars.byModule(List.of(temp.resolve("one"), temp.resolve("two")), problems);
    assertEquals(Map.of("org.example.twin", first), found);
    assertEquals(
        List.of(
            "module 'org.example.twin' is in two plugin jars: "
                + first
                + " and "
                + second
                + "; remove one"),
        problems);
  }

  @Test
  void aModuleThatTheModulePathHasIsRefused() throws IOException {
    Path copy = moduleJar(temp, "api-copy.jar", "org.boml.api");
    List<String> problems = new ArrayList<>();
    assertEquals(Map.of(), PluginJars.byModule(List.of(temp), problems));
    assertEquals(
        List.of(
            "plugin jar "
                + copy
                + " holds module 'org.boml.api', which is already loaded from "
                + PluginIdentity.locationOf(BomlApi.class.getModule())
                + "; remove one of the two"),
        problems);
  }

  @Test
  void aCorruptJarIsRefusedAndTheOthersAreKept() throws IOException {
    Path good = moduleJar(temp, "good.jar", "org.example.good");
    Path broken = Files.write(temp.resolve("broken.jar"), new byte[] {1, 2, 3, 4, 5});
    List<String> problems = new ArrayList<>();
    assertEquals(Map.of("org.example.good", good), PluginJars.byModule(List.of(temp), problems));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(
        problems.get(0).startsWith("corrupt or unreadable plugin jar " + broken + ": "),
        problems.get(0));
    assertTrue(problems.get(0).endsWith("; replace it with a good copy"), problems.get(0));
  }

  @Test
  void aMissingDirectoryIsAnErrorNamingIt() {
    Path missing = temp.resolve("nowhere");
    PluginException error =
        assertThrows(
            PluginException.class, () -> PluginJars.byModule(List.of(missing), new ArrayList<>()));
    assertEquals(
        "Plugin directory '"
            + missing
            + "' does not exist or is not a directory (a plugin directory given to the registry, or one"
            + " listed in BOML_PLUGINS)",
        error.getMessage());
  }

  @Test
  void theLayerHoldsTheModulesOfTheDirectories() throws IOException {
    moduleJar(temp, "extra.jar", "org.example.extra");
    List<String> problems = new ArrayList<>();
    Optional<ModuleLayer> layer = PluginLayer.of(List.of(temp), problems);
    assertTrue(layer.orElseThrow().findModule("org.example.extra").isPresent());
    assertEquals(List.of(), problems);
    assertEquals(Optional.empty(), PluginLayer.of(List.of(), problems));
  }

  @Test
  void withNoModuleLeftThereIsNoLayer() throws IOException {
    moduleJar(temp, "api-copy.jar", "org.boml.api");
    List<String> problems = new ArrayList<>();
    assertEquals(Optional.empty(), PluginLayer.of(List.of(temp), problems));
    assertEquals(1, problems.size(), problems::toString);
  }
}
