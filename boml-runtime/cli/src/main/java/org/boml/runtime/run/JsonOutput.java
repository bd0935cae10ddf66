package org.boml.runtime.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * How every JSON document BOML writes is formatted (run directories, metrics, results, {@code
 * --json} output): a number that is not finite (NaN or an infinity), which JSON cannot hold, is
 * written as {@code null}, whether it is a field, a map value, a list element or part of a {@link
 * JsonElement} tree. {@code null} in a numeric place therefore means "not a number", e.g. the 95%
 * confidence half-width of a single episode. Other {@code null} fields and map values are left out,
 * as Gson does by default, and HTML characters are not escaped.
 */
public final class JsonOutput {
  /** Lets non-finite numbers into the tree, where {@link #write} turns them into null. */
  private static final Gson TREES =
      new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

  private JsonOutput() {}

  /**
   * A document as indented JSON, one key per line, for files people read.
   *
   * @param document maps, lists, strings, numbers, plain-data objects or JSON trees
   * @return the JSON text
   */
  public static String pretty(Object document) {
    return format(document, "  ");
  }

  /**
   * A document as JSON on one line, such as a line of {@code metrics.jsonl}.
   *
   * @param document maps, lists, strings, numbers, plain-data objects or JSON trees
   * @return the JSON text
   */
  public static String compact(Object document) {
    return format(document, "");
  }

  private static String format(Object document, String indent) {
    StringWriter text = new StringWriter();
    try (JsonWriter out = new JsonWriter(text)) {
      out.setIndent(indent);
      out.setHtmlSafe(false);
      write(out, TREES.toJsonTree(document));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }

  private static void write(JsonWriter out, JsonElement element) throws IOException {
    if (element.isJsonObject()) {
      out.beginObject();
      for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
        out.name(entry.getKey());
        write(out, entry.getValue());
      }
      out.endObject();
    } else if (element.isJsonArray()) {
      out.beginArray();
      for (JsonElement item : element.getAsJsonArray()) {
        write(out, item);
      }
      out.endArray();
    } else if (element.isJsonPrimitive()) {
      JsonPrimitive primitive = element.getAsJsonPrimitive();
      if (primitive.isBoolean()) {
        out.value(primitive.getAsBoolean());
      } else if (primitive.isString()) {
        out.value(primitive.getAsString());
      } else if (Double.isFinite(primitive.getAsDouble())) {
        out.value(primitive.getAsNumber());
      } else {
        out.nullValue();
      }
    } else {
      out.nullValue();
    }
  }
}
