package org.boml.datasets.fewshot;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.boml.api.DatasetException;

/**
 * Decodes image files (PNG, JPEG, ...) into 8-bit channels with the conventions of Pillow's
 * {@code convert}: gray is {@code (19595 R + 38470 G + 7471 B + 32768) >> 16} (ITU-R 601-2 luma),
 * so a 1-bit image becomes 0 and 255.
 */
public final class ImageDecoder {
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
   * @throws DatasetException if the bytes are not a readable image
   */
  public static Decoded decode(byte[] bytes, int channels, String source) throws DatasetException {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new DatasetException("cannot decode image " + source + ": " + e.getMessage()
          + "; the file is corrupt or not an image, replace or remove it", e);
    }
    if (image == null) {
      throw new DatasetException("cannot decode image " + source
          + ": not an image format Java can read (PNG, JPEG, BMP, GIF); replace or remove it");
    }
    int width = image.getWidth();
    int height = image.getHeight();
    int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
    int[][] planes = new int[channels][width * height];
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
   * Decodes, resizes with {@link LanczosResampler} and scales to {@code [0, 1]}; optionally
   * inverts ({@code 1 - v}), as Omniglot's strokes-are-one convention.
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
    Decoded image = decode(bytes, channels, source);
    float[] out = new float[channels * size * size];
    for (int c = 0; c < channels; c++) {
      int[] resized = LanczosResampler.resize(image.planes()[c], image.width(), image.height(), size, size);
      for (int i = 0; i < resized.length; i++) {
        float v = resized[i] / 255f;
        out[c * size * size + i] = invert ? 1f - v : v;
      }
    }
    return out;
  }
}
