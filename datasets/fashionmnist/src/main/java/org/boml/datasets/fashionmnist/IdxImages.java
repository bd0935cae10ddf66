package org.boml.datasets.fashionmnist;

import java.util.Objects;

/**
 * Grey-scale images of one IDX file: {@code count} images of {@code rows x columns} unsigned-byte
 * pixels, row-major, image after image.
 */
public final class IdxImages {
  private final int count;
  private final int rows;
  private final int columns;
  private final byte[] pixels;

  /**
   * Images over a pixel buffer (not copied).
   *
   * @param count the number of images
   * @param rows the rows of one image
   * @param columns the columns of one image
   * @param pixels {@code count * rows * columns} unsigned bytes
   */
  IdxImages(int count, int rows, int columns, byte[] pixels) {
    this.count = count;
    this.rows = rows;
    this.columns = columns;
    this.pixels = Objects.requireNonNull(pixels, "pixels");
    if ((long) count * rows * columns != pixels.length) {
      throw new IllegalArgumentException(
          "expected " + count + " x " + rows + " x " + columns + " pixels, got " + pixels.length);
    }
  }

  /**
   * The number of images.
   *
   * @return the count
   */
  public int count() {
    return count;
  }

  /**
   * The rows of one image.
   *
   * @return the height
   */
  public int rows() {
    return rows;
  }

  /**
   * The columns of one image.
   *
   * @return the width
   */
  public int columns() {
    return columns;
  }

  /**
   * The pixels of one image.
   *
   * @return {@code rows * columns}
   */
  public int pixelsPerImage() {
    return rows * columns;
  }

  /**
   * One pixel value.
   *
   * @param image the image index
   * @param pixel the pixel index within the image, row-major
   * @return its value in {@code [0, 255]}
   */
  public int pixel(int image, int pixel) {
    Objects.checkIndex(image, count);
    Objects.checkIndex(pixel, pixelsPerImage());
    return Byte.toUnsignedInt(pixels[image * pixelsPerImage() + pixel]);
  }

  /**
   * Consecutive images as floats divided by 255, in {@code [0, 1]}, flattened row-major.
   *
   * @param from the first image
   * @param to one past the last image
   * @return {@code (to - from) * rows * columns} values
   */
  public float[] scaled(int from, int to) {
    Objects.checkFromToIndex(from, to, count);
    int size = pixelsPerImage();
    float[] values = new float[(to - from) * size];
    for (int i = 0; i < values.length; i++) {
      values[i] = Byte.toUnsignedInt(pixels[from * size + i]) / 255f;
    }
    return values;
  }
}
