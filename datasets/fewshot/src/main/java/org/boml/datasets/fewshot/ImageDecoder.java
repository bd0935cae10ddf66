package org.boml.datasets.fewshot;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.boml.api.DatasetException;

/**
 * Decodes image files (PNG, JPEG, ...) into 8-bit channels with the conventions of Pillow's {@code
 * convert}: gray is {@code (19595 R + 38470 G + 7471 B + 32768) >> 16} (ITU-R 601-2 luma), so a
 * 1-bit image becomes 0 and 255.
 *
 * <p>Grayscale images (8-bit gray PNG or JPEG, gray with alpha) are read from their samples: Java's
 * {@code getRGB} would treat their gray as linear light and gamma-encode it (100 becomes 168),
 * where Pillow keeps the stored value. Their RGB is the gray repeated. A 16-bit gray sample {@code
 * s} becomes {@code round(255 s / 65535)} (Pillow would clip it at 255 instead). A JPEG whose image
 * data ends early is refused as corrupt (Java would fill the rest with gray); alpha is ignored, as
 * by Pillow's {@code convert}.
 */
public final class ImageDecoder {
  /**
   * The most pixels an image may declare (8192 x 8192). Above it the image is refused from its
   * header, before anything is decoded: a dataset image is at most a few thousand pixels a side,
   * and a file that declares 30,000 x 30,000 (a pixel bomb) would otherwise end in an out-of-memory
   * error that names no file.
   */
  public static final long MAX_PIXELS = 8192L * 8192L;

  private ImageDecoder() {}

  /**
   * A decoded image: {@code channels} planes of {@code width x height} values in 0..255.
   *
   * @param width the width
   * @param height the height
   * @param planes one row-major array per channel
   */
  public record Decoded(int width, int height, int[][] planes) {}

  /**
   * Decodes an image to one gray plane or three RGB planes.
   *
   * @param bytes the file's bytes
   * @param channels 1 for gray, 3 for RGB
   * @param source the file, for error messages
   * @return the planes
   * @throws DatasetException if the bytes are not a readable image, or declare more than {@link
   *     #MAX_PIXELS} pixels
   */
  public static Decoded decode(byte[] bytes, int channels, String source) throws DatasetException {
    BufferedImage image = read(bytes, source);
    int width = image.getWidth();
    int height = image.getHeight();
    int[][] planes = new int[channels][width * height];
    ColorModel colors = image.getColorModel();
    if (!(colors instanceof IndexColorModel)
        && colors.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      int[] gray = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
      long max = (1L << colors.getComponentSize(0)) - 1;
      for (int i = 0; i < gray.length; i++) {
        int value = max == 255 ? gray[i] : (int) ((gray[i] * 255L + max / 2) / max);
        for (int c = 0; c < channels; c++) {
          planes[c][i] = value;
        }
      }
      return new Decoded(width, height, planes);
    }
    int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
    for (int i = 0; i < rgb.length; i++) {
      int r = (rgb[i] >> 16) & 0xFF;
      int g = (rgb[i] >> 8) & 0xFF;
      int b = rgb[i] & 0xFF;
      if (channels == 1) {
        planes[0][i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
      } else {
        planes[0][i] = r;
        planes[1][i] = g;
        planes[2][i] = b;
      }
    }
    return new Decoded(width, height, planes);
  }

  /**
   * Reads the first image of a file, refusing JPEG data that ends early. The bytes are read through
   * a memory cache: {@code ImageIO.createImageInputStream} would cache them in a file under {@code
   * java.io.tmpdir}, so a missing or unwritable temporary directory made every good image read as
   * corrupt.
   */
  private static BufferedImage read(byte[] bytes, String source) throws DatasetException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new DatasetException(
            "cannot decode image "
                + source
                + ": not an image format Java can read (PNG, JPEG, BMP, GIF); replace or remove it");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS) {
          throw new DatasetException(
              String.format(
                  Locale.ROOT,
                  "cannot decode image %s: it declares %d x %d pixels, more than the %,d (8192 x"
                      + " 8192) a dataset image may have; the file is damaged or not a dataset"
                      + " image (a pixel bomb?), replace or remove it",
                  source,
                  width,
                  height,
                  MAX_PIXELS));
        }
        BufferedImage image = reader.read(0);
        for (String warning : warnings) {
          if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
            throw new DatasetException(
                "cannot decode image "
                    + source
                    + ": "
                    + warning
                    + "; the file is truncated, replace or remove it");
          }
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(
          "cannot decode image "
              + source
              + ": "
              + e.getMessage()
              + "; the file is corrupt or not an image, replace or remove it",
          e);
    }
  }

  /**
   * Decodes, resizes with {@link LanczosResampler} and scales to {@code [0, 1]}; optionally inverts
   * ({@code 1 - v}), as Omniglot's strokes-are-one convention. The values are {@link #value} of
   * {@link #loadPixels}.
   *
   * @param bytes the file's bytes
   * @param channels 1 or 3
   * @param size the output height and width
   * @param invert whether to return {@code 1 - v}
   * @param source the file, for error messages
   * @return channel-major {@code channels x size x size} floats
   * @throws DatasetException if the bytes are not a readable image
   */
  public static float[] load(byte[] bytes, int channels, int size, boolean invert, String source)
      throws DatasetException {
    byte[] pixels = loadPixels(bytes, channels, size, source);
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = value(pixels[i], invert);
    }
    return out;
  }

  /**
   * Decodes and resizes with {@link LanczosResampler}, keeping the resampler's 8-bit values: a
   * quarter of the memory of {@link #load}'s floats, which {@link #value} gives back bit for bit.
   *
   * @param bytes the file's bytes
   * @param channels 1 or 3
   * @param size the output height and width
   * @param source the file, for error messages
   * @return channel-major {@code channels x size x size} values 0..255, as unsigned bytes
   * @throws DatasetException if the bytes are not a readable image
   */
  public static byte[] loadPixels(byte[] bytes, int channels, int size, String source)
      throws DatasetException {
    Decoded image = decode(bytes, channels, source);
    byte[] out = new byte[channels * size * size];
    for (int c = 0; c < channels; c++) {
      int[] resized =
          LanczosResampler.resize(image.planes()[c], image.width(), image.height(), size, size);
      for (int i = 0; i < resized.length; i++) {
        out[c * size * size + i] = (byte) resized[i];
      }
    }
    return out;
  }

  /**
   * The value in {@code [0, 1]} of an 8-bit pixel: {@code k / 255}, or {@code 1 - k / 255}
   * inverted.
   *
   * @param pixel the value 0..255, as an unsigned byte
   * @param invert whether to return {@code 1 - v}
   * @return the float
   */
  public static float value(byte pixel, boolean invert) {
    float v = (pixel & 0xFF) / 255f;
    return invert ? 1f - v : v;
  }
}
