package org.boml.datasets.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on small generated files: contents, and an error naming the file per fault. */
class IdxTest {
  @TempDir Path dir;

  /** An IDX header with the given magic number and sizes, then the data. */
  static byte[] idx(int magic, int[] sizes, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int size : sizes) {
        out.writeInt(size);
      }
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static Path gzip(Path file, byte[] content) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
    return file;
  }

  static byte[] ramp(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i * 37);
    }
    return data;
  }

  /** Writes a Fashion-MNIST-shaped part: {@code count} 28x28 images and the given labels. */
  static void writePart(Path dir, FashionMnist.Part part, int count, byte[] labels)
      throws IOException {
    gzip(
        dir.resolve(part.imageFile()),
        idx(Idx.IMAGES_MAGIC, new int[] {count, 28, 28}, ramp(count * 784)));
    gzip(dir.resolve(part.labelFile()), idx(Idx.LABELS_MAGIC, new int[] {labels.length}, labels));
  }

  @Test
  void readsImagesAndLabels() throws IOException {
    Path images =
        gzip(dir.resolve("i.gz"), idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 4}, ramp(3 * 2 * 4)));
    IdxImages read = Idx.readImages(images);
    assertEquals(3, read.count());
    assertEquals(2, read.rows());
    assertEquals(4, read.columns());
    for (int i = 0; i < 3; i++) {
      for (int p = 0; p < 8; p++) {
        assertEquals((i * 8 + p) * 37 & 0xff, read.pixel(i, p), "image " + i + " pixel " + p);
      }
    }
    float[] scaled = read.scaled(1, 3);
    assertEquals(16, scaled.length);
    assertEquals(((8 + 5) * 37 & 0xff) / 255f, scaled[5], 0f);

    Path labels =
        gzip(
            dir.resolve("l.gz"),
            idx(Idx.LABELS_MAGIC, new int[] {4}, new byte[] {0, 9, (byte) 200, 3}));
    assertArrayEquals(new int[] {0, 9, 200, 3}, Idx.readLabels(labels));
  }

  @Test
  void loadsAPartOfTheDataset() throws IOException {
    writePart(dir, FashionMnist.Part.TEST, 5, new byte[] {4, 0, 9, 1, 1});
    LabeledImages part = FashionMnist.load(dir, FashionMnist.Part.TEST);
    assertEquals(5, part.count());
    assertArrayEquals(new int[] {0, 9, 1}, part.labels(1, 4));
    assertEquals(784, part.images().pixelsPerImage());
  }

  @Test
  void aMissingDirectoryIsNamedWithTheRemedy() {
    Path missing = dir.resolve("nowhere");
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class, () -> FashionMnist.load(missing, FashionMnist.Part.TRAIN));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() throws IOException {
    gzip(
        dir.resolve(FashionMnist.Part.TRAIN.imageFile()),
        idx(Idx.IMAGES_MAGIC, new int[] {1, 28, 28}, ramp(784)));
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class, () -> FashionMnist.load(dir, FashionMnist.Part.TRAIN));
    assertTrue(e.getMessage().contains(FashionMnist.Part.TRAIN.labelFile()), e.getMessage());
  }

  @Test
  void aWrongMagicNumberIsNamed() throws IOException {
    Path labelsAsImages =
        gzip(dir.resolve("swapped.gz"), idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}));
    IdxFormatException e =
        assertThrows(IdxFormatException.class, () -> Idx.readImages(labelsAsImages));
    assertEquals(labelsAsImages, e.file());
    assertTrue(e.getMessage().startsWith(labelsAsImages.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("magic number 0x00000801"), e.getMessage());
  }

  @Test
  void aTruncatedFileIsNamed() throws IOException {
    Path images =
        gzip(dir.resolve("short.gz"), idx(Idx.IMAGES_MAGIC, new int[] {3, 28, 28}, ramp(784)));
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(images));
    assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("after 784 bytes"), e.getMessage());

    Path header = gzip(dir.resolve("header.gz"), idx(Idx.LABELS_MAGIC, new int[] {}, new byte[0]));
    IdxFormatException early = assertThrows(IdxFormatException.class, () -> Idx.readLabels(header));
    assertTrue(early.getMessage().contains("truncated"), early.getMessage());
  }

  @Test
  void extraDataAndNonGzipFilesAreRefused() throws IOException {
    Path longer =
        gzip(dir.resolve("long.gz"), idx(Idx.LABELS_MAGIC, new int[] {1}, new byte[] {1, 2}));
    IdxFormatException extra = assertThrows(IdxFormatException.class, () -> Idx.readLabels(longer));
    assertTrue(extra.getMessage().contains("beyond"), extra.getMessage());

    Path plain = Files.write(dir.resolve("plain"), idx(Idx.LABELS_MAGIC, new int[] {1}, ramp(1)));
    IdxFormatException notGzip =
        assertThrows(IdxFormatException.class, () -> Idx.readLabels(plain));
    assertTrue(notGzip.getMessage().contains("not a gzip file"), notGzip.getMessage());
  }

  @Test
  void labelAndImageCountsMustAgree() throws IOException {
    writePart(dir, FashionMnist.Part.TRAIN, 3, new byte[] {1, 2});
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class, () -> FashionMnist.load(dir, FashionMnist.Part.TRAIN));
    assertTrue(e.getMessage().contains(FashionMnist.Part.TRAIN.labelFile()), e.getMessage());
    assertTrue(e.getMessage().contains("2 labels but"), e.getMessage());
    assertTrue(e.getMessage().contains("3 images"), e.getMessage());
  }

  @Test
  void labelsMustBeClasses() throws IOException {
    writePart(dir, FashionMnist.Part.TRAIN, 2, new byte[] {1, 10});
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class, () -> FashionMnist.load(dir, FashionMnist.Part.TRAIN));
    assertTrue(e.getMessage().contains("label 10 of example 1"), e.getMessage());
  }
}
