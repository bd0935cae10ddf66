package org.boml.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** The document {@code boml plugins --json} prints: the usable plugins and the problems. */
final class PluginListing {
  private final CliResult result;
  private final JsonObject document;

  private PluginListing(CliResult result) {
    this.result = result;
    this.document = result.json();
  }

  /** Runs {@code boml plugins --json} with more arguments and reads its output. */
  static PluginListing run(String... arguments) {
    List<String> all = new ArrayList<>(List.of("plugins", "--json"));
    all.addAll(List.of(arguments));
    return new PluginListing(BomlCli.run(all.toArray(new String[0])));
  }

  CliResult result() {
    return result;
  }

  /** The names of the usable plugins. */
  Set<String> names() {
    return plugins().stream()
        .map(p -> p.get("name").getAsString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The entry of a usable plugin; fails the test if there is none. */
  JsonObject plugin(String name) {
    return plugins().stream()
        .filter(p -> p.get("name").getAsString().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no plugin '" + name + "' listed" + result));
  }

  /** The jar a usable plugin was loaded from. */
  Path location(String name) {
    return Path.of(plugin(name).get("location").getAsString()).toAbsolutePath().normalize();
  }

  /** Why plugins or jars were refused. */
  List<String> problems() {
    return StreamSupport.stream(document.getAsJsonArray("problems").spliterator(), false)
        .map(JsonElement::getAsString)
        .collect(Collectors.toList());
  }

  private List<JsonObject> plugins() {
    return StreamSupport.stream(document.getAsJsonArray("plugins").spliterator(), false)
        .map(JsonElement::getAsJsonObject)
        .collect(Collectors.toList());
  }
}
