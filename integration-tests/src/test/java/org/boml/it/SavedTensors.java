package org.boml.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float tensors of a safetensors file that a run saved, read with the format's own header (an
 * 8-byte length, a JSON header, the data), so that no BOML code is involved in checking them.
 */
final class SavedTensors {
  private SavedTensors() {}

  /**
   * Every tensor of a file, flattened, by name.
   *
   * @param file a safetensors file of float32 or float64 tensors
   * @return the tensors in the header's order, without its metadata entry
   * @throws IOException if the file cannot be read
   */
  static Map<String, double[]> read(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = Math.toIntExact(bytes.getLong(0));
    JsonObject header =
        JsonParser.parseString(new String(bytes.array(), 8, headerLength, StandardCharsets.UTF_8))
            .getAsJsonObject();
    Map<String, double[]> tensors = new LinkedHashMap<>();
    for (String name : header.keySet()) {
      if (name.equals("__metadata__")) {
        continue;
      }
      JsonObject entry = header.getAsJsonObject(name);
      JsonArray offsets = entry.getAsJsonArray("data_offsets");
      int start = 8 + headerLength + offsets.get(0).getAsInt();
      int end = 8 + headerLength + offsets.get(1).getAsInt();
      boolean wide = entry.get("dtype").getAsString().equals("F64");
      int width = wide ? Double.BYTES : Float.BYTES;
      double[] values = new double[(end - start) / width];
      for (int i = 0; i < values.length; i++) {
        int at = start + i * width;
        values[i] = wide ? bytes.getDouble(at) : bytes.getFloat(at);
      }
      tensors.put(name, values);
    }
    return tensors;
  }
}
