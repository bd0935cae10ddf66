package org.boml.datasets.fewshot;

import java.util.List;
import java.util.Objects;

/**
 * One class of a few-shot dataset: its images, decoded once and kept as the resampler's 8-bit
 * values (a quarter of the memory of floats; {@link ImageDecoder#value} turns them into the floats
 * {@link ImageDecoder#load} returns, bit for bit, when the class is sampled), and a rotation by a
 * multiple of 90 degrees (counter-clockwise, as {@code numpy.rot90}) that is applied when the class
 * is sampled, so rotated classes cost no memory.
 *
 * @param name the class's name, e.g. {@code Greek/character03}
 * @param images channel-major {@code channels x size x size} values 0..255 as unsigned bytes
 *     ({@link ImageDecoder#loadPixels})
 * @param inverted whether the values are {@code 1 - k / 255} (Omniglot's strokes are one)
 * @param quarterTurns the rotation, 0 to 3
 */
public record ImageClass(String name, List<byte[]> images, boolean inverted, int quarterTurns) {
  /** Checks the components. */
  public ImageClass {
    Objects.requireNonNull(name, "name");
    images = List.copyOf(images);
    if (quarterTurns < 0 || quarterTurns > 3) {
      throw new IllegalArgumentException("quarter turns must be 0..3, got " + quarterTurns);
    }
  }

  /**
   * The same images rotated by a further number of quarter turns.
   *
   * @param turns 0 to 3
   * @return the rotated class, named {@code name@90} etc.
   */
  public ImageClass rotated(int turns) {
    return new ImageClass(name + "@" + (90 * turns), images, inverted, (quarterTurns + turns) % 4);
  }

  /**
   * Writes image {@code index}, rotated, as floats in {@code [0, 1]} into {@code out} at {@code
   * offset}.
   *
   * @param index which image
   * @param channels the channel count
   * @param size the image's height and width
   * @param out the destination
   * @param offset where the image starts in {@code out}
   */
  public void copyImage(int index, int channels, int size, float[] out, int offset) {
    byte[] image = images.get(index);
    int plane = size * size;
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          out[offset + c * plane + i * size + j] =
              ImageDecoder.value(image[c * plane + sourceIndex(i, j, size)], inverted);
        }
      }
    }
  }

  /** Where output pixel (i, j) of a rot90 by {@code quarterTurns} comes from. */
  private int sourceIndex(int i, int j, int size) {
    int last = size - 1;
    return switch (quarterTurns) {
      case 0 -> i * size + j;
      case 1 -> j * size + (last - i);
      case 2 -> (last - i) * size + (last - j);
      default -> (last - j) * size + i;
    };
  }
}
