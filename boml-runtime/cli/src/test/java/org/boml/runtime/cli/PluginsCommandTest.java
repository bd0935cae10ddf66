package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code boml plugins --json} lists every plugin's options and what it can do or requires. */
class PluginsCommandTest {
  @Test
  void theJsonListingHasOptionsAndCapabilities() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Main.run("plugins", "--json");
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    JsonObject document =
        JsonParser.parseString(captured.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    JsonObject gd = plugin(document, "gd");
    JsonObject lr = gd.getAsJsonArray("options").get(0).getAsJsonObject();
    assertEquals("lr", lr.get("name").getAsString());
    assertEquals("0.01", lr.get("default").getAsString());
    assertTrue(lr.get("description").getAsString().contains("step size"), lr.toString());
    assertEquals(
        List.of(
            "differentiable-steps",
            "gradient-step",
            "single-state",
            "stationary-limit",
            "steps-without-meta-parameters"),
        strings(gd.getAsJsonArray("capabilities")));
    JsonObject momentum = plugin(document, "momentum");
    assertEquals(
        List.of("differentiable-steps", "stationary-limit", "steps-without-meta-parameters"),
        strings(momentum.getAsJsonArray("capabilities")));
    assertEquals(
        List.of("lr", "momentum", "learn-momentum", "learn-lr", "lr-variable"),
        strings(momentum.getAsJsonArray("options"), "name"));
    JsonObject mlp = plugin(document, "mlp");
    assertTrue(
        mlp.has("options") && !mlp.has("capabilities") && !mlp.has("requires"), mlp.toString());
  }

  private static JsonObject plugin(JsonObject document, String name) {
    for (JsonElement element : document.getAsJsonArray("plugins")) {
      if (element.getAsJsonObject().get("name").getAsString().equals(name)) {
        return element.getAsJsonObject();
      }
    }
    throw new AssertionError("no plugin " + name + " in " + document);
  }

  private static List<String> strings(JsonArray array) {
    List<String> result = new ArrayList<>();
    array.forEach(e -> result.add(e.getAsString()));
    return result;
  }

  private static List<String> strings(JsonArray array, String field) {
    List<String> result = new ArrayList<>();
    array.forEach(e -> result.add(e.getAsJsonObject().get(field).getAsString()));
    return result;
  }
}
