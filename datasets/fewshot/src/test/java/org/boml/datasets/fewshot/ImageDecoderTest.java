package org.boml.datasets.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.boml.api.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding of the image kinds the datasets meet, against the values Pillow gives. */
class ImageDecoderTest {
  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no " + format + " writer for this image");
    return out.toByteArray();
  }

  private static BufferedImage filled(int type, int sample) {
    BufferedImage image = new BufferedImage(5, 4, type);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        raster.setSample(x, y, 0, sample);
      }
    }
    return image;
  }

  private static void assertUniform(int expected, int[] plane) {
    int[] want = new int[plane.length];
    Arrays.fill(want, expected);
    assertArrayEquals(want, plane);
  }

  /**
   * A temporary directory that is gone (as with a missing {@code java.io.tmpdir}) does not make a
   * good image read as corrupt: ImageIO's file cache is not used.
   */
  @Test
  void aMissingTemporaryDirectoryDoesNotMatter(@TempDir Path temp) throws Exception {
    byte[] png = encode(filled(BufferedImage.TYPE_BYTE_GRAY, 100), "png");
    Path cache = Files.createDirectory(temp.resolve("cache"));
    ImageIO.setCacheDirectory(cache.toFile());
    try {
      Files.delete(cache);
      assertUniform(100, ImageDecoder.decode(png, 1, "gray.png").planes()[0]);
    } finally {
      ImageIO.setCacheDirectory(null);
    }
  }

  /**
   * Java's getRGB would gamma-encode the gray of an 8-bit gray image (100 -> 168); Pillow keeps
   * 100.
   */
  @Test
  void eightBitGrayKeepsItsStoredValue() throws Exception {
    byte[] png = encode(filled(BufferedImage.TYPE_BYTE_GRAY, 100), "png");
    assertUniform(100, ImageDecoder.decode(png, 1, "gray.png").planes()[0]);
    ImageDecoder.Decoded rgb = ImageDecoder.decode(png, 3, "gray.png");
    for (int c = 0; c < 3; c++) {
      assertUniform(100, rgb.planes()[c]);
    }
    float[] loaded = ImageDecoder.load(png, 1, 3, true, "gray.png");
    for (float v : loaded) {
      assertEquals(1 - 100 / 255f, v, 1e-7);
    }
  }

  /**
   * The 8-bit pixels and their floats: every value 0..255 (bytes above 127 are negative in Java)
   * becomes k / 255, or 1 - k / 255 inverted, which is what load returns for the same pixel.
   */
  @Test
  void pixelsKeepTheResampledValuesAndValueGivesLoadsFloats() throws Exception {
    for (int k = 0; k < 256; k++) {
      assertEquals(k / 255f, ImageDecoder.value((byte) k, false), 0f, "pixel " + k);
      assertEquals(1f - k / 255f, ImageDecoder.value((byte) k, true), 0f, "pixel " + k);
    }
    byte[] png = encode(filled(BufferedImage.TYPE_BYTE_GRAY, 200), "png");
    byte[] pixels = ImageDecoder.loadPixels(png, 1, 3, "gray.png");
    float[] floats = ImageDecoder.load(png, 1, 3, true, "gray.png");
    assertEquals(9, pixels.length);
    for (int i = 0; i < pixels.length; i++) {
      assertEquals(200, pixels[i] & 0xFF);
      assertEquals(floats[i], ImageDecoder.value(pixels[i], true), 0f);
    }
  }

  @Test
  void grayJpegKeepsItsStoredValue() throws Exception {
    byte[] jpeg = encode(filled(BufferedImage.TYPE_BYTE_GRAY, 100), "jpg");
    for (int v : ImageDecoder.decode(jpeg, 1, "gray.jpg").planes()[0]) {
      assertTrue(Math.abs(v - 100) <= 1, "gray JPEG pixel " + v);
    }
  }

  @Test
  void sixteenBitGrayIsScaledToEightBits() throws Exception {
    byte[] png = encode(filled(BufferedImage.TYPE_USHORT_GRAY, 100 * 257), "png");
    assertUniform(100, ImageDecoder.decode(png, 1, "gray16.png").planes()[0]);
  }

  @Test
  void grayWithAlphaUsesTheGray() throws Exception {
    ColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = model.createCompatibleWritableRaster(3, 2);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        raster.setSample(x, y, 0, 77);
        raster.setSample(x, y, 1, 128);
      }
    }
    byte[] png = encode(new BufferedImage(model, raster, false, null), "png");
    assertUniform(77, ImageDecoder.decode(png, 1, "gray-alpha.png").planes()[0]);
  }

  @Test
  void colorUsesPillowsLumaAndBinaryIsZeroOr255() throws Exception {
    BufferedImage color = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        color.setRGB(x, y, (200 << 16) | (30 << 8) | 90);
      }
    }
    byte[] png = encode(color, "png");
    int luma = (200 * 19595 + 30 * 38470 + 90 * 7471 + 0x8000) >> 16;
    assertUniform(luma, ImageDecoder.decode(png, 1, "color.png").planes()[0]);
    ImageDecoder.Decoded rgb = ImageDecoder.decode(png, 3, "color.png");
    assertUniform(200, rgb.planes()[0]);
    assertUniform(30, rgb.planes()[1]);
    assertUniform(90, rgb.planes()[2]);
    BufferedImage binary = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    binary.getRaster().setSample(1, 0, 0, 1);
    assertArrayEquals(
        new int[] {0, 255},
        ImageDecoder.decode(encode(binary, "png"), 1, "binary.png").planes()[0]);
  }

  @Test
  void truncatedOrForeignBytesAreRefusedByName() throws Exception {
    BufferedImage noise = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(3);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        noise.setRGB(x, y, random.nextInt());
      }
    }
    for (String format : new String[] {"jpg", "png"}) {
      byte[] whole = encode(noise, format);
      assertEquals(40, ImageDecoder.decode(whole, 3, "whole." + format).width());
      byte[] half = Arrays.copyOf(whole, whole.length / 2);
      DatasetException error =
          assertThrows(
              DatasetException.class, () -> ImageDecoder.decode(half, 3, "half." + format));
      assertTrue(error.getMessage().contains("half." + format), error.getMessage());
    }
    DatasetException foreign =
        assertThrows(
            DatasetException.class,
            () ->
                ImageDecoder.decode(
                    "plain text".getBytes(StandardCharsets.US_ASCII), 1, "notes.png"));
    assertTrue(
        foreign.getMessage().contains("notes.png")
            && foreign.getMessage().contains("not an image format"),
        foreign.getMessage());
  }

  /**
   * A PNG that declares {@code width x height} 8-bit gray pixels and holds almost no data: its
   * header (IHDR), one tiny compressed block (IDAT) and the end (IEND).
   */
  private static byte[] declaredPng(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0);
    header.put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", header.array());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(data)) {
      deflate.write(new byte[64]);
    }
    chunk(out, "IDAT", data.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] body) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(body);
    ByteBuffer chunk = ByteBuffer.allocate(12 + body.length);
    chunk.putInt(body.length).put(name).put(body).putInt((int) crc.getValue());
    out.writeBytes(chunk.array());
  }

  /**
   * A pixel bomb, a small file whose header declares 30,000 x 30,000 pixels (900 million; decoding
   * it needs 0.9 GB for the raster alone and ended in an out-of-memory error naming no file), is
   * refused from its header, naming the file and the size; one pixel over the limit is refused, the
   * limit itself is not refused for its size.
   */
  @Test
  void anImageThatDeclaresHugeDimensionsIsRefusedByNameBeforeDecoding() throws Exception {
    byte[] bomb = declaredPng(30_000, 30_000);
    assertTrue(bomb.length < 200, "a small file: " + bomb.length);
    DatasetException error =
        assertThrows(DatasetException.class, () -> ImageDecoder.decode(bomb, 1, "tasks/a/x.png"));
    assertEquals(
        "cannot decode image tasks/a/x.png: it declares 30000 x 30000 pixels, more than the"
            + " 67,108,864 (8192 x 8192) a dataset image may have; the file is damaged or not a"
            + " dataset image (a pixel bomb?), replace or remove it",
        error.getMessage());
    DatasetException justOver =
        assertThrows(
            DatasetException.class,
            () -> ImageDecoder.decode(declaredPng(8193, 8192), 1, "over.png"));
    assertTrue(justOver.getMessage().contains("8193 x 8192 pixels"), justOver.getMessage());
    DatasetException atTheLimit =
        assertThrows(
            DatasetException.class,
            () -> ImageDecoder.decode(declaredPng(8192, 8192), 1, "limit.png"));
    assertTrue(
        atTheLimit.getMessage().contains("the file is corrupt or not an image"),
        "refused for its missing data, not its size: " + atTheLimit.getMessage());
  }
}
