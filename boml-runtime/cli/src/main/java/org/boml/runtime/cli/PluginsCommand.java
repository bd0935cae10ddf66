package org.boml.runtime.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.runtime.plugin.PluginInfo;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code boml plugins}: lists every discovered provider and every refused one. */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every discovered plugin: name, kind, version, module, the API version it was built"
          + " against, and where it was loaded from; with --json also its options (name, default,"
          + " description) and, with its default options, what dynamics can do (capabilities) and"
          + " what a hypergradient module requires (requires, minimumSteps, sharedDynamicsOptions)."
          + " Refused plugins are listed with the reason; the exit code is then 1."
    })
final class PluginsCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--json", description = "Print machine-readable JSON.")
  boolean json;

  @Override
  public Integer call() {
    PluginRegistry registry = PluginRegistry.discover(main.allPluginDirectories());
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      List<Map<String, Object>> plugins = new ArrayList<>();
      for (PluginInfo info : registry.plugins()) {
        plugins.add(describe(info));
      }
      document.put("plugins", plugins);
      document.put("problems", registry.problems());
      System.out.println(JsonOutput.pretty(document));
    } else {
      printTable(registry);
    }
    return registry.problems().isEmpty() ? 0 : 1;
  }

  private static Map<String, Object> describe(PluginInfo info) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", info.name());
    entry.put("kind", info.kind().name().toLowerCase(Locale.ROOT));
    entry.put("version", info.provider().version());
    entry.put("module", info.module());
    entry.put("apiVersion", info.provider().apiVersion());
    entry.put("location", info.location());
    entry.put("description", info.provider().description());
    List<Map<String, String>> options = new ArrayList<>();
    for (OptionSpec option : info.provider().options()) {
      Map<String, String> described = new LinkedHashMap<>();
      described.put("name", option.name());
      described.put("default", option.defaultValue());
      described.put("description", option.description());
      options.add(described);
    }
    entry.put("options", options);
    Options defaults = Options.forProvider(Map.of(), info.provider());
    if (info.provider() instanceof IterationModuleProvider dynamics) {
      entry.put("capabilities", new TreeSet<>(dynamics.capabilities(defaults)));
    } else if (info.provider() instanceof HypergradientModuleProvider method) {
      entry.put("requires", new TreeSet<>(method.requirements(defaults)));
      entry.put("minimumSteps", method.minimumSteps(defaults));
      entry.put("sharedDynamicsOptions", new TreeSet<>(method.sharedDynamicsOptions()));
    }
    return entry;
  }

  private static void printTable(PluginRegistry registry) {
    String format = "%-13s %-14s %-9s %-28s %-6s %s%n";
    System.out.printf(format, "NAME", "KIND", "VERSION", "MODULE", "API", "LOCATION");
    for (PluginInfo info : registry.plugins()) {
      System.out.printf(
          format,
          info.name(),
          info.kind().name().toLowerCase(Locale.ROOT),
          info.provider().version(),
          info.module(),
          info.provider().apiVersion(),
          info.location());
    }
    if (!registry.problems().isEmpty()) {
      System.out.println();
      System.out.println("Refused:");
      registry.problems().forEach(problem -> System.out.println("  - " + problem));
    }
  }
}
