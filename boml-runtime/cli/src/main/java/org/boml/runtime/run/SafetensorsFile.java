package org.boml.runtime.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The safetensors files of a run directory (checkpoint, meta-parameters), written with checksums of
 * their tensors in their metadata ({@link TensorChecksums}) and read back only once verified: a
 * file whose bytes changed, or that holds a value that is not finite, is reported as damaged with
 * the file and the tensor named, instead of being trained or evaluated from.
 */
final class SafetensorsFile {
  /**
   * What a file holds.
   *
   * @param tensors the tensors, named, in the file's order
   * @param metadata the file's metadata, checksums aside
   */
  record Contents(NDList tensors, Map<String, String> metadata) {}

  private SafetensorsFile() {}

  /**
   * Encodes named tensors with checksums and more metadata.
   *
   * @param tensors the tensors, each with its name set
   * @param metadata further metadata entries
   * @return the file's bytes
   */
  static byte[] encode(NDList tensors, Map<String, String> metadata) {
    return TensorChecksums.add(tensors.encode(NDList.Encoding.SAFETENSORS), metadata);
  }

  /**
   * Reads and verifies a file.
   *
   * @param file the file
   * @param manager where the arrays are created
   * @param warnings told when the file has no checksums (written by an earlier version)
   * @return its tensors and metadata
   * @throws java.nio.file.NoSuchFileException if it does not exist
   * @throws IOException naming the file if it is truncated or corrupt, or damaged (a tensor that
   *     does not match its checksum, a value that is not finite), naming the tensor
   */
  static Contents read(Path file, NDManager manager, Consumer<String> warnings) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    TensorChecksums.Verified verified = TensorChecksums.verify(file, bytes);
    if (!verified.verified()) {
      warnings.accept(
          file
              + " has no checksums (written by an earlier version of BOML); it is read without"
              + " verification");
    }
    NDList tensors;
    try {
      tensors = NDList.decode(manager, bytes);
    } catch (RuntimeException e) {
      throw new IOException(file + " is truncated or corrupt: " + e.getMessage(), e);
    }
    for (NDArray tensor : tensors) {
      requireFinite(file, tensor);
    }
    return new Contents(tensors, verified.metadata());
  }

  /** Refuses NaN and infinities: no completed iteration leaves them (training stops first). */
  private static void requireFinite(Path file, NDArray tensor) throws IOException {
    DataType type = tensor.getDataType();
    if (!type.isFloating()) {
      return;
    }
    long bad =
        tensor.isNaN().logicalOr(tensor.isInfinite()).toType(DataType.INT64, false).sum().getLong();
    if (bad > 0) {
      throw TensorChecksums.damaged(
          file,
          "tensor '"
              + tensor.getName()
              + "' holds "
              + bad
              + " of "
              + tensor.size()
              + " values that are not finite (NaN or infinite), which no completed iteration"
              + " saves");
    }
  }
}
