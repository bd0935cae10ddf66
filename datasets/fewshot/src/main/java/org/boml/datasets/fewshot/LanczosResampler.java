package org.boml.datasets.fewshot;

/**
 * Antialiased resizing of 8-bit images with a Lanczos-3 filter, computed exactly as Pillow's {@code
 * Image.resize(size, LANCZOS)} does for 8-bit images, so that preprocessing matches the PyTorch
 * reference bit for bit: separable, horizontal pass first, the filter widened by the scale factor
 * when shrinking, weights normalized per output pixel and converted to 22-bit fixed point, each
 * pass rounded and clipped to 0..255.
 */
public final class LanczosResampler {
  private static final double SUPPORT = 3.0;
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private LanczosResampler() {}

  /**
   * Resizes a single-channel image.
   *
   * @param pixels row-major values in 0..255
   * @param width the input width
   * @param height the input height
   * @param outWidth the output width
   * @param outHeight the output height
   * @return row-major values in 0..255
   */
  public static int[] resize(int[] pixels, int width, int height, int outWidth, int outHeight) {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException(
          pixels.length + " pixels for a " + width + "x" + height + " image");
    }
    int[] horizontal = width == outWidth ? pixels : pass(pixels, width, height, outWidth, true);
    return height == outHeight ? horizontal : pass(horizontal, outWidth, height, outHeight, false);
  }

  /** One separable pass along rows ({@code alongRows}) or columns. */
  private static int[] pass(int[] in, int width, int height, int outSize, boolean alongRows) {
    int inSize = alongRows ? width : height;
    Coefficients c = coefficients(inSize, outSize);
    int outWidth = alongRows ? outSize : width;
    int outHeight = alongRows ? height : outSize;
    int[] out = new int[outWidth * outHeight];
    for (int y = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++) {
        int target = alongRows ? x : y;
        int first = c.first[target];
        long sum = 1L << (PRECISION_BITS - 1);
        for (int k = 0; k < c.count[target]; k++) {
          int source = alongRows ? y * width + first + k : (first + k) * width + x;
          sum += (long) in[source] * c.weights[target][k];
        }
        out[y * outWidth + x] = clip8(sum);
      }
    }
    return out;
  }

  private static int clip8(long value) {
    long shifted = value >> PRECISION_BITS;
    return (int) Math.max(0, Math.min(255, shifted));
  }

  private static final class Coefficients {
    final int[] first;
    final int[] count;
    final int[][] weights;

    Coefficients(int outSize) {
      first = new int[outSize];
      count = new int[outSize];
      weights = new int[outSize][];
    }
  }

  private static Coefficients coefficients(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    Coefficients c = new Coefficients(outSize);
    for (int out = 0; out < outSize; out++) {
      double center = (out + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inSize) - min;
      double[] raw = new double[max];
      double total = 0;
      for (int k = 0; k < max; k++) {
        raw[k] = lanczos((k + min - center + 0.5) / filterScale);
        total += raw[k];
      }
      int[] fixed = new int[max];
      for (int k = 0; k < max; k++) {
        double w = total == 0 ? raw[k] : raw[k] / total;
        double scaled = w * (1 << PRECISION_BITS);
        fixed[k] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
      }
      c.first[out] = min;
      c.count[out] = max;
      c.weights[out] = fixed;
    }
    return c;
  }

  private static double lanczos(double x) {
    if (x < -SUPPORT || x >= SUPPORT) {
      return 0;
    }
    return sinc(x) * sinc(x / SUPPORT);
  }

  private static double sinc(double x) {
    if (x == 0) {
      return 1;
    }
    double px = Math.PI * x;
    return Math.sin(px) / px;
  }
}
