package org.boml.runtime.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * SHA-256 checksums of the tensors of a safetensors file, kept in the file's own {@code
 * __metadata__} (string to string, which every safetensors reader accepts and DJL skips), so that a
 * file and its checksums are written, renamed and copied together. Key {@code sha256:<name>} holds
 * the lowercase hexadecimal SHA-256 of the tensor's dtype and shape written as {@code F32[5,2]} (a
 * scalar: {@code I64[]}), followed by its raw little-endian bytes; the metadata may hold other keys
 * too. Verification names the file and the first tensor whose bytes do not match.
 */
final class TensorChecksums {
  /** The metadata key of the safetensors format. */
  static final String METADATA = "__metadata__";

  private static final String PREFIX = "sha256:";

  private TensorChecksums() {}

  /**
   * A safetensors file with checksums of its tensors and more entries in its metadata.
   *
   * @param encoded a safetensors file without metadata, as DJL writes it
   * @param more further metadata entries
   * @return the same tensors and data, with the metadata in the header
   */
  static byte[] add(byte[] encoded, Map<String, String> more) {
    Layout layout;
    try {
      layout = Layout.of(encoded);
    } catch (MalformedException e) {
      throw new IllegalArgumentException("not a safetensors file: " + e.getMessage(), e);
    }
    JsonObject metadata = new JsonObject();
    more.forEach(metadata::addProperty);
    for (String name : layout.tensorNames()) {
      metadata.addProperty(PREFIX + name, layout.digest(name));
    }
    JsonObject header = new JsonObject();
    header.add(METADATA, metadata);
    layout.header.entrySet().stream()
        .filter(entry -> !entry.getKey().equals(METADATA))
        .forEach(entry -> header.add(entry.getKey(), entry.getValue()));
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + json.length + layout.dataLength());
    file.order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
    file.put(encoded, layout.dataStart, layout.dataLength());
    return file.array();
  }

  /**
   * What {@link #verify} found.
   *
   * @param metadata the file's metadata without the checksums
   * @param verified whether the file had checksums, all of which matched
   */
  record Verified(Map<String, String> metadata, boolean verified) {}

  /**
   * Checks the tensors of a safetensors file against the checksums in its metadata.
   *
   * @param file the file's path, for messages
   * @param bytes the file's content
   * @return the metadata, and whether there were checksums to check
   * @throws IOException naming the file (and the tensor) if it is truncated, malformed, or a tensor
   *     does not match its checksum, lacks one, or a checksum names no tensor
   */
  static Verified verify(Path file, byte[] bytes) throws IOException {
    try {
      return verify(file, Layout.of(bytes));
    } catch (RuntimeException e) {
      throw new IOException(file + " is truncated or corrupt: " + e, e);
    } catch (MalformedException e) {
      throw new IOException(file + " is truncated or corrupt: " + e.getMessage(), e);
    }
  }

  private static Verified verify(Path file, Layout layout) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, String> checksums = new LinkedHashMap<>();
    JsonElement stored = layout.header.get(METADATA);
    if (stored != null && stored.isJsonObject()) {
      for (Map.Entry<String, JsonElement> entry : stored.getAsJsonObject().entrySet()) {
        String value = entry.getValue().isJsonPrimitive() ? entry.getValue().getAsString() : "";
        if (entry.getKey().startsWith(PREFIX)) {
          checksums.put(entry.getKey().substring(PREFIX.length()), value);
        } else {
          metadata.put(entry.getKey(), value);
        }
      }
    }
    if (checksums.isEmpty()) {
      return new Verified(metadata, false);
    }
    for (String name : layout.tensorNames()) {
      String expected = checksums.remove(name);
      if (expected == null) {
        throw damaged(file, "tensor '" + name + "' has no checksum");
      }
      if (!expected.equals(layout.digest(name))) {
        throw damaged(
            file,
            "tensor '"
                + name
                + "' does not match its SHA-256 checksum (a changed bit, or a copy that went"
                + " wrong)");
      }
    }
    if (!checksums.isEmpty()) {
      throw damaged(file, "it lacks the tensors " + checksums.keySet() + " its checksums name");
    }
    return new Verified(metadata, true);
  }

  /**
   * The error of a file whose content cannot be trusted.
   *
   * @param file the file
   * @param what what is wrong
   * @return the exception, naming the file and what to do
   */
  static IOException damaged(Path file, String what) {
    return new IOException(
        file
            + " is damaged: "
            + what
            + ". Restore the file from a copy, or start the run again with --overwrite");
  }

  /** A file that is not laid out as a safetensors file. */
  private static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /** The header and where the data starts in a safetensors file. */
  private static final class Layout {
    private final byte[] bytes;
    private final JsonObject header;
    private final int dataStart;

    private Layout(byte[] bytes, JsonObject header, int dataStart) {
      this.bytes = bytes;
      this.header = header;
      this.dataStart = dataStart;
    }

    static Layout of(byte[] bytes) throws MalformedException {
      if (bytes.length < 8) {
        throw new MalformedException(
            "it has " + bytes.length + " bytes, fewer than the header's length");
      }
      long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (length < 0 || length > bytes.length - 8) {
        throw new MalformedException(
            "its header of " + length + " bytes runs past the end of the file");
      }
      String json = new String(bytes, 8, (int) length, StandardCharsets.UTF_8);
      JsonElement header = JsonParser.parseString(json);
      if (!header.isJsonObject()) {
        throw new MalformedException("its header is not a JSON object");
      }
      Layout layout = new Layout(bytes, header.getAsJsonObject(), 8 + (int) length);
      for (String name : layout.tensorNames()) {
        long[] range = layout.range(name);
        if (range[0] < 0 || range[0] > range[1] || range[1] > layout.dataLength()) {
          throw new MalformedException("tensor '" + name + "' lies outside the file's data");
        }
      }
      return layout;
    }

    Set<String> tensorNames() {
      Set<String> names = new TreeSet<>(header.keySet());
      names.remove(METADATA);
      return names;
    }

    int dataLength() {
      return bytes.length - dataStart;
    }

    long[] range(String name) {
      JsonArray offsets = header.getAsJsonObject(name).getAsJsonArray("data_offsets");
      return new long[] {offsets.get(0).getAsLong(), offsets.get(1).getAsLong()};
    }

    String digest(String name) {
      JsonObject tensor = header.getAsJsonObject(name);
      StringBuilder description = new StringBuilder(tensor.get("dtype").getAsString()).append('[');
      JsonArray shape = tensor.getAsJsonArray("shape");
      for (int i = 0; i < shape.size(); i++) {
        description.append(i == 0 ? "" : ",").append(shape.get(i).getAsLong());
      }
      description.append(']');
      long[] range = range(name);
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(description.toString().getBytes(StandardCharsets.UTF_8));
        sha256.update(bytes, dataStart + (int) range[0], (int) (range[1] - range[0]));
        return HexFormat.of().formatHex(sha256.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
  }
}
