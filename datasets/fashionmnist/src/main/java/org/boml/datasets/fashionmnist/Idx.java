package org.boml.datasets.fashionmnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads gzip-compressed IDX files (the format of MNIST and Fashion-MNIST): a big-endian header
 * {@code 0x00 0x00 type dimensions} followed by one 32-bit size per dimension, then the data. Only
 * unsigned-byte data ({@code type 0x08}) is read: 3-dimensional files as images and 1-dimensional
 * ones as labels. Every error names the file.
 */
public final class Idx {
  private static final int UNSIGNED_BYTE = 0x08;

  /** The magic number of an image file: unsigned bytes, 3 dimensions. */
  public static final int IMAGES_MAGIC = (UNSIGNED_BYTE << 8) | 3;

  /** The magic number of a label file: unsigned bytes, 1 dimension. */
  public static final int LABELS_MAGIC = (UNSIGNED_BYTE << 8) | 1;

  private Idx() {}

  /**
   * Reads an image file.
   *
   * @param file a gzip-compressed IDX file with magic number {@value #IMAGES_MAGIC}
   * @return its images
   * @throws NoSuchFileException if the file does not exist
   * @throws IdxFormatException if it is not gzip, has another magic number, is truncated or has
   *     data beyond what its header announces
   * @throws IOException if it cannot be read
   */
  public static IdxImages readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      readMagic(in, file, IMAGES_MAGIC, "images (unsigned bytes, 3 dimensions)");
      int count = readSize(in, file, "image count");
      int rows = readSize(in, file, "rows");
      int columns = readSize(in, file, "columns");
      long total = (long) count * rows * columns;
      if (total > Integer.MAX_VALUE - 8) {
        throw new IdxFormatException(
            file, "announces " + total + " pixels, more than one array can hold");
      }
      byte[] pixels = readData(in, file, (int) total, count + " images of " + rows + "x" + columns);
      return new IdxImages(count, rows, columns, pixels);
    }
  }

  /**
   * Reads a label file.
   *
   * @param file a gzip-compressed IDX file with magic number {@value #LABELS_MAGIC}
   * @return the labels, each in {@code [0, 255]}
   * @throws NoSuchFileException if the file does not exist
   * @throws IdxFormatException if it is not gzip, has another magic number, is truncated or has
   *     data beyond what its header announces
   * @throws IOException if it cannot be read
   */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      readMagic(in, file, LABELS_MAGIC, "labels (unsigned bytes, 1 dimension)");
      int count = readSize(in, file, "label count");
      byte[] data = readData(in, file, count, count + " labels");
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = Byte.toUnsignedInt(data[i]);
      }
      return labels;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such IDX file");
    }
    InputStream raw = Files.newInputStream(file);
    try {
      return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
    } catch (ZipException | EOFException e) {
      raw.close();
      throw new IdxFormatException(file, "not a gzip file (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static void readMagic(DataInputStream in, Path file, int expected, String what)
      throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IdxFormatException(file, "truncated: it ends before the 4-byte magic number");
    }
    if (magic != expected) {
      throw new IdxFormatException(
          file,
          String.format(
              "magic number 0x%08x is not that of IDX %s, 0x%08x", magic, what, expected));
    }
  }

  private static int readSize(DataInputStream in, Path file, String what) throws IOException {
    int size;
    try {
      size = in.readInt();
    } catch (EOFException e) {
      throw new IdxFormatException(file, "truncated: the header ends before the " + what);
    }
    if (size < 0) {
      throw new IdxFormatException(
          file, "the " + what + " in the header is negative (" + size + ")");
    }
    return size;
  }

  private static byte[] readData(DataInputStream in, Path file, int length, String announced)
      throws IOException {
    byte[] data = new byte[length];
    int read = 0;
    try {
      while (read < length) {
        int n = in.read(data, read, length - read);
        if (n < 0) {
          throw new IdxFormatException(
              file,
              "truncated: the header announces "
                  + announced
                  + " ("
                  + length
                  + " bytes of data) but the data ends after "
                  + read
                  + " bytes");
        }
        read += n;
      }
      if (in.read() >= 0) {
        throw new IdxFormatException(
            file, "has data beyond the " + announced + " (" + length + " bytes) of its header");
      }
    } catch (EOFException e) {
      throw new IdxFormatException(
          file, "truncated: the compressed stream ends early (" + e.getMessage() + ")");
    }
    return data;
  }
}
