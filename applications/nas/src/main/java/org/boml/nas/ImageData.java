package org.boml.nas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.io.IOException;
import java.nio.file.Path;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.datasets.fashionmnist.LabeledImages;

/**
 * Fashion-MNIST subsets as arrays: images {@code (N, 1, size, size)} in {@code [0, 1]} (28x28, or
 * averaged over 2x2 blocks to 14x14) and int64 labels. The search's training and validation sets
 * are the first {@code train} and the next {@code validation} images of the training part (the part
 * is already in random order); the test set is the first {@code test} images of the test part.
 *
 * @param trainImages the search's training images
 * @param trainLabels their labels
 * @param validationImages the search's validation images
 * @param validationLabels their labels
 * @param testImages the test images
 * @param testLabels their labels
 */
public record ImageData(
    NDArray trainImages,
    NDArray trainLabels,
    NDArray validationImages,
    NDArray validationLabels,
    NDArray testImages,
    NDArray testLabels) {
  /** The image sizes the data can have. */
  public static final int FULL = 28;

  /** The size after 2x2 averaging. */
  public static final int HALF = 14;

  /**
   * Reads the subsets.
   *
   * @param directory the Fashion-MNIST folder
   * @param train the training images, {@code >= 1}
   * @param validation the validation images, {@code >= 1}
   * @param test the test images, {@code >= 1}
   * @param size {@value #FULL} or {@value #HALF}
   * @param manager owns the arrays
   * @return the data, float32
   * @throws IOException if the data cannot be read (the message says how to install it)
   */
  public static ImageData load(
      Path directory, int train, int validation, int test, int size, NDManager manager)
      throws IOException {
    if (size != FULL && size != HALF) {
      throw new IllegalArgumentException("--image-size must be 28 or 14, got " + size);
    }
    LabeledImages trainPart = FashionMnist.load(directory, FashionMnist.Part.TRAIN);
    LabeledImages testPart = FashionMnist.load(directory, FashionMnist.Part.TEST);
    if (train + validation > trainPart.count()) {
      throw new IllegalArgumentException(
          "--train plus --validation is "
              + (train + validation)
              + ", but the training part has "
              + trainPart.count()
              + " images");
    }
    if (test > testPart.count()) {
      throw new IllegalArgumentException(
          "--test is " + test + ", but the test part has " + testPart.count() + " images");
    }
    return new ImageData(
        images(trainPart, 0, train, size, manager),
        labels(trainPart, 0, train, manager),
        images(trainPart, train, train + validation, size, manager),
        labels(trainPart, train, train + validation, manager),
        images(testPart, 0, test, size, manager),
        labels(testPart, 0, test, manager));
  }

  private static NDArray images(LabeledImages part, int from, int to, int size, NDManager manager) {
    NDArray full =
        manager.create(part.images().scaled(from, to), new Shape(to - from, 1, FULL, FULL));
    if (size == FULL) {
      return full;
    }
    Shape two = new Shape(2, 2);
    NDArray half = Pool.avgPool2d(full, two, two, new Shape(0, 0), false, true);
    full.close();
    return half;
  }

  private static NDArray labels(LabeledImages part, int from, int to, NDManager manager) {
    int[] values = part.labels(from, to);
    long[] wide = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return manager.create(wide).toType(DataType.INT64, false);
  }
}
