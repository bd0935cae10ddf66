package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.api.Plugin;
import org.boml.api.PluginKind;
import org.boml.runtime.plugin.PluginInfo;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/algorithms/ stays true to the plugins: every bundled hypergradient and dynamics plugin has a
 * page, listed in the index, whose options table has exactly the plugin's options with their
 * defaults, in order, which names what the plugin requires or offers, and which cites a paper.
 */
class AlgorithmDocsIT {
  private static final Path DOCS =
      Path.of(System.getProperty("basedir", ".")).resolve("../docs/algorithms").normalize();
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+?) \\|");

  /** The section of a page under a {@code ## title} heading, up to the next heading. */
  private static String section(String page, String title, Path file) {
    int start = page.indexOf("\n## " + title + "\n");
    assertTrue(start >= 0, file + " has no '## " + title + "' section");
    int end = page.indexOf("\n## ", start + 1);
    return page.substring(start, end < 0 ? page.length() : end);
  }

  /** The documented options: name and default cell of every table row of the Options section. */
  private static List<List<String>> documentedOptions(String options) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : options.lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        rows.add(List.of(row.group(1), row.group(2).trim()));
      }
    }
    return rows;
  }

  private static List<List<String>> declaredOptions(Plugin plugin) {
    return plugin.options().stream()
        .map(
            (OptionSpec o) ->
                List.of(
                    o.name(), o.defaultValue().isEmpty() ? "(none)" : "`" + o.defaultValue() + "`"))
        .toList();
  }

  private static Set<String> declaredTraits(Plugin plugin) {
    Options defaults = Options.forProvider(Map.of(), plugin);
    return plugin instanceof HypergradientModuleProvider method
        ? method.requirements(defaults)
        : ((IterationModuleProvider) plugin).capabilities(defaults);
  }

  /**
   * Every plugin of the build: the test JVM's, and the jars of the reactor's other {@code
   * plugins/<name>} modules, loaded from a directory of copies (built before this module: the
   * parent lists the plugins first).
   */
  private static PluginRegistry allPlugins(Path scratch) throws IOException {
    Set<String> present = new HashSet<>();
    for (Path directory : List.of(AppLayout.modules(), AppLayout.pluginDir())) {
      AppLayout.jars(directory).forEach(jar -> present.add(jar.getFileName().toString()));
    }
    for (Path jar : ReactorPlugins.jars()) {
      if (!present.contains(jar.getFileName().toString())) {
        Files.copy(jar, scratch.resolve(jar.getFileName()));
      }
    }
    PluginRegistry registry = PluginRegistry.discover(List.of(scratch));
    assertEquals(List.of(), registry.problems());
    return registry;
  }

  @Test
  void everyAlgorithmPluginHasAPageTrueToItsOptions(@TempDir Path scratch) throws IOException {
    String index = Files.readString(DOCS.resolve("README.md"));
    List<PluginInfo> algorithms =
        allPlugins(scratch).plugins().stream()
            .filter(p -> p.kind() == PluginKind.HYPERGRADIENT || p.kind() == PluginKind.ITERATION)
            .toList();
    assertTrue(
        algorithms.size() >= 10,
        "the bundled algorithms: " + algorithms.stream().map(PluginInfo::name).toList());
    List<String> problems = new ArrayList<>();
    for (PluginInfo info : algorithms) {
      Plugin plugin = info.provider();
      Path file = DOCS.resolve(plugin.name() + ".md");
      if (!Files.isRegularFile(file)) {
        problems.add(
            plugin.name() + ": no page " + file + " (write it like the others, see README.md)");
        continue;
      }
      String page = Files.readString(file);
      if (!index.contains("(" + plugin.name() + ".md)")) {
        problems.add(plugin.name() + ": not linked from docs/algorithms/README.md");
      }
      String options = section(page, "Options", file);
      List<List<String>> documented = documentedOptions(options);
      List<List<String>> declared = declaredOptions(plugin);
      if (!documented.equals(declared)) {
        problems.add(
            plugin.name()
                + ": the page documents options "
                + documented
                + " but the plugin declares "
                + declared);
      }
      if (declared.isEmpty() && !options.contains("has no options")) {
        problems.add(plugin.name() + ": the Options section should say it has no options");
      }
      String traits =
          section(
              page, plugin.kind() == PluginKind.HYPERGRADIENT ? "Requires" : "Capabilities", file);
      for (String trait : declaredTraits(plugin)) {
        if (!traits.contains("`" + trait + "`")) {
          problems.add(plugin.name() + ": the page does not name `" + trait + "`");
        }
      }
      if (section(page, "Reference", file).isBlank()) {
        problems.add(plugin.name() + ": no reference");
      }
    }
    assertEquals(List.of(), problems, String.join("\n", problems));
  }

  @Test
  void theIndexLinksOnlyPagesThatExist() throws IOException {
    String index = Files.readString(DOCS.resolve("README.md"));
    Matcher link = Pattern.compile("\\]\\(([a-z0-9-]+\\.md)\\)").matcher(index);
    int links = 0;
    while (link.find()) {
      links++;
      assertTrue(Files.isRegularFile(DOCS.resolve(link.group(1))), link.group(1));
    }
    assertFalse(links < 10, "the index links " + links + " pages");
  }
}
