package org.boml.runtime.cli.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@link Subcommand#plugins}: the inherited {@code --plugins} directories and the warnings. */
class SubcommandTest {
  @TempDir Path directory;

  @Test
  void loadsFromTheInheritedDirectoriesAndWarnsAboutEachRefusalOnStandardError() throws Exception {
    Path broken = Files.write(directory.resolve("broken.jar"), new byte[] {1, 2, 3});
    CommandSpec spec = CommandSpec.create();
    spec.addOption(
        OptionSpec.builder("--plugins").type(List.class).auxiliaryTypes(Path.class).build());
    new CommandLine(spec).parseArgs("--plugins", directory.toString());
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PluginRegistry registry;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      registry = Subcommand.plugins(spec);
    } finally {
      System.setErr(original);
    }
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "boml: a plugin was refused and is left out (boml plugins lists it): corrupt or"
                    + " unreadable plugin jar "
                    + broken),
        lines.get(0));
    assertEquals(1, registry.problems().size(), registry.problems().toString());
    assertEquals("gd", registry.iteration("gd").name());
  }
}
