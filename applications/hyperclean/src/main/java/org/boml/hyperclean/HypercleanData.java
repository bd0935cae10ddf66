package org.boml.hyperclean;

import java.util.Objects;
import java.util.SplittableRandom;
import org.boml.datasets.fashionmnist.FashionMnist;
import org.boml.datasets.fashionmnist.LabeledImages;

/**
 * The data of a hyper-cleaning run, as in Franceschi et al. (2017) and BOML: the first {@code
 * train} training images with a fraction {@code corruption} of their labels replaced by a wrong
 * one, the next {@code validation} training images as a clean validation set, and the whole test
 * set. Pixels are divided by 255 (no centering) and flattened.
 *
 * <p>Which examples are corrupted is drawn with one seed: exactly {@code round(corruption * train)}
 * distinct examples, uniformly (a partial Fisher-Yates shuffle), each relabelled {@code (label + r)
 * mod classes} with {@code r} uniform in {@code 1 .. classes - 1}, so the new label is uniformly
 * one of the other classes.
 */
public final class HypercleanData {
  private final int features;
  private final int classes;
  private final float[] trainImages;
  private final int[] noisyLabels;
  private final boolean[] corrupted;
  private final float[] validationImages;
  private final int[] validationLabels;
  private final float[] testImages;
  private final int[] testLabels;

  private HypercleanData(
      int features,
      int classes,
      float[] trainImages,
      int[] noisyLabels,
      boolean[] corrupted,
      float[] validationImages,
      int[] validationLabels,
      float[] testImages,
      int[] testLabels) {
    this.features = features;
    this.classes = classes;
    this.trainImages = trainImages;
    this.noisyLabels = noisyLabels;
    this.corrupted = corrupted;
    this.validationImages = validationImages;
    this.validationLabels = validationLabels;
    this.testImages = testImages;
    this.testLabels = testLabels;
  }

  /**
   * Builds the sets from Fashion-MNIST.
   *
   * @param training the training part (60,000 images)
   * @param test the test part
   * @param train how many training examples, {@code >= 1}
   * @param validation how many validation examples, {@code >= 1}, with {@code train + validation}
   *     at most the training part's size
   * @param corruption the fraction of corrupted training labels, in {@code [0, 1]}
   * @param seed fixes which examples are corrupted and their new labels
   * @return the data
   * @throws IllegalArgumentException for sizes or a fraction out of range
   */
  public static HypercleanData of(
      LabeledImages training,
      LabeledImages test,
      int train,
      int validation,
      double corruption,
      long seed) {
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(test, "test");
    if (train < 1 || validation < 1) {
      throw new IllegalArgumentException(
          "--train and --validation must be >= 1, got " + train + " and " + validation);
    }
    if ((long) train + validation > training.count()) {
      throw new IllegalArgumentException(
          "--train "
              + train
              + " plus --validation "
              + validation
              + " exceed the "
              + training.count()
              + " training images of Fashion-MNIST");
    }
    if (!(corruption >= 0 && corruption <= 1)) {
      throw new IllegalArgumentException("--corruption must be in [0, 1], got " + corruption);
    }
    int classes = FashionMnist.CLASSES;
    int[] labels = training.labels(0, train);
    boolean[] corrupted = new boolean[train];
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = new int[train];
    for (int i = 0; i < train; i++) {
      order[i] = i;
    }
    int count = (int) Math.round(corruption * train);
    for (int k = 0; k < count; k++) {
      int j = k + random.nextInt(train - k);
      int chosen = order[j];
      order[j] = order[k];
      order[k] = chosen;
      corrupted[chosen] = true;
      labels[chosen] = (labels[chosen] + 1 + random.nextInt(classes - 1)) % classes;
    }
    return new HypercleanData(
        training.images().pixelsPerImage(),
        classes,
        training.images().scaled(0, train),
        labels,
        corrupted,
        training.images().scaled(train, train + validation),
        training.labels(train, train + validation),
        test.images().scaled(0, test.count()),
        test.labels(0, test.count()));
  }

  /**
   * The number of input features (pixels).
   *
   * @return 784 for Fashion-MNIST
   */
  public int features() {
    return features;
  }

  /**
   * The number of classes.
   *
   * @return 10 for Fashion-MNIST
   */
  public int classes() {
    return classes;
  }

  /**
   * The number of training examples.
   *
   * @return the count
   */
  public int trainCount() {
    return noisyLabels.length;
  }

  /**
   * The training images, row after row.
   *
   * @return {@code train * features} values in {@code [0, 1]} (a copy)
   */
  public float[] trainImages() {
    return trainImages.clone();
  }

  /**
   * The training labels after corruption.
   *
   * @return one label per training example (a copy)
   */
  public int[] noisyLabels() {
    return noisyLabels.clone();
  }

  /**
   * Which training labels were corrupted.
   *
   * @return one flag per training example (a copy)
   */
  public boolean[] corrupted() {
    return corrupted.clone();
  }

  /**
   * The validation images.
   *
   * @return {@code validation * features} values (a copy)
   */
  public float[] validationImages() {
    return validationImages.clone();
  }

  /**
   * The (clean) validation labels.
   *
   * @return one label per validation example (a copy)
   */
  public int[] validationLabels() {
    return validationLabels.clone();
  }

  /**
   * The test images.
   *
   * @return {@code test * features} values (a copy)
   */
  public float[] testImages() {
    return testImages.clone();
  }

  /**
   * The test labels.
   *
   * @return one label per test example (a copy)
   */
  public int[] testLabels() {
    return testLabels.clone();
  }
}
