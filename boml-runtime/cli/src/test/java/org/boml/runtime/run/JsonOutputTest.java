package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gson refuses NaN and infinities; every JSON document BOML writes has them as {@code null}
 * instead, in fields, map values, lists and JSON trees alike.
 */
class JsonOutputTest {
  @Test
  void nonFiniteNumbersAreWrittenAsNull() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("mean", 1.25);
    document.put("ci95", Double.NaN);
    document.put("list", Arrays.asList(1.0, Double.POSITIVE_INFINITY));
    document.put("nested", Map.of("norm", Double.NEGATIVE_INFINITY));
    document.put("absent", null);
    assertEquals(
        "{\"mean\":1.25,\"ci95\":null,\"list\":[1.0,null],\"nested\":{\"norm\":null}}",
        JsonOutput.compact(document));
    RunSpec spec = new RunSpec();
    spec.clipNorm = Double.NaN;
    spec.metaLearningRate = Double.POSITIVE_INFINITY;
    spec.model = null;
    String fields = JsonOutput.compact(spec);
    assertTrue(
        fields.contains("\"metaLearningRate\":null,")
            && fields.contains("\"clipNorm\":null,")
            && !fields.contains("\"model\""),
        "fields as null, a null string left out: " + fields);
  }

  @Test
  void treesHaveNullForNonFiniteNumbersToo() {
    JsonObject tree = new JsonObject();
    tree.addProperty("seconds", Double.NaN);
    tree.addProperty("name", "a<b");
    JsonArray values = new JsonArray();
    values.add(Double.POSITIVE_INFINITY);
    values.add(2);
    tree.add("values", values);
    assertEquals(
        "{\"seconds\":null,\"name\":\"a<b\",\"values\":[null,2]}", JsonOutput.compact(tree));
    assertEquals(
        "{\n  \"seconds\": null,\n  \"name\": \"a<b\",\n  \"values\": [\n    null,\n    2\n  ]\n}",
        JsonOutput.pretty(tree));
    assertEquals("[null]", JsonOutput.compact(List.of(tree.get("seconds"))));
  }

  @Test
  void nullReadsBackAsTheFieldsDefault() {
    RunSpec read =
        new com.google.gson.Gson().fromJson("{\"clipNorm\":null,\"momentum\":null}", RunSpec.class);
    assertEquals(0.9, read.momentum, "a primitive keeps its default");
  }
}
