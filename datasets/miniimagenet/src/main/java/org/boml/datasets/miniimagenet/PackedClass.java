package org.boml.datasets.miniimagenet;

import java.util.List;
import java.util.Objects;
import org.boml.datasets.fewshot.ImageDecoder;

/**
 * One class with its images stored as the 8-bit values the resampler produced, one byte per value
 * instead of a float: the full MiniImageNet at 84x84 then takes 1.3 GB instead of 5.1 GB. Unpacking
 * with {@link ImageDecoder#value} gives the floats of {@link ImageDecoder#load}, bit for bit.
 *
 * @param label the class's label, e.g. {@code n01532829}
 * @param images channel-major {@code 3 x size x size} values 0..255, stored as unsigned bytes
 */
record PackedClass(String label, List<byte[]> images) {
  /** Checks the components. */
  PackedClass {
    Objects.requireNonNull(label, "label");
    images = List.copyOf(images);
  }

  /**
   * Writes image {@code index} as floats in [0, 1] into {@code out} at {@code offset}.
   *
   * @param index which image
   * @param out the destination
   * @param offset where the image starts in {@code out}
   */
  void copyImage(int index, float[] out, int offset) {
    byte[] image = images.get(index);
    for (int i = 0; i < image.length; i++) {
      out[offset + i] = ImageDecoder.value(image[i], false);
    }
  }
}
