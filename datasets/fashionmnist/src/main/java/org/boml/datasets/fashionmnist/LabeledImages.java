package org.boml.datasets.fashionmnist;

import java.util.Objects;

/** Images with one class label each, e.g. one part of Fashion-MNIST. */
public final class LabeledImages {
  private final IdxImages images;
  private final int[] labels;

  /**
   * Pairs images with labels (not copied).
   *
   * @param images the images
   * @param labels one label per image
   */
  LabeledImages(IdxImages images, int[] labels) {
    this.images = Objects.requireNonNull(images, "images");
    this.labels = Objects.requireNonNull(labels, "labels");
    if (images.count() != labels.length) {
      throw new IllegalArgumentException(
          images.count() + " images but " + labels.length + " labels");
    }
  }

  /**
   * The number of examples.
   *
   * @return the count
   */
  public int count() {
    return labels.length;
  }

  /**
   * The images.
   *
   * @return the images
   */
  public IdxImages images() {
    return images;
  }

  /**
   * The label of one example.
   *
   * @param index the example
   * @return its class
   */
  public int label(int index) {
    return labels[index];
  }

  /**
   * The labels of consecutive examples.
   *
   * @param from the first example
   * @param to one past the last
   * @return a copy of their labels
   */
  public int[] labels(int from, int to) {
    Objects.checkFromToIndex(from, to, labels.length);
    return java.util.Arrays.copyOfRange(labels, from, to);
  }
}
