package org.boml.datasets.fashionmnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a novel image dataset for benchmarking
 * machine learning algorithms", 2017): 28x28 grey-scale images of 10 kinds of clothing, 60,000 for
 * training and 10,000 for testing, read from the four gzip-compressed IDX files of a directory
 * ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz} and the {@code t10k-}
 * pair), as Debian's package {@code dataset-fashion-mnist} installs them in {@link
 * #DEBIAN_DIRECTORY}.
 */
public final class FashionMnist {
  /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, by label. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** The number of classes. */
  public static final int CLASSES = 10;

  /** The two parts of the dataset. */
  public enum Part {
    /** The 60,000 training images. */
    TRAIN("train"),
    /** The 10,000 test images. */
    TEST("t10k");

    private final String prefix;

    Part(String prefix) {
      this.prefix = prefix;
    }

    /**
     * The image file's name.
     *
     * @return e.g. {@code train-images-idx3-ubyte.gz}
     */
    public String imageFile() {
      return prefix + "-images-idx3-ubyte.gz";
    }

    /**
     * The label file's name.
     *
     * @return e.g. {@code train-labels-idx1-ubyte.gz}
     */
    public String labelFile() {
      return prefix + "-labels-idx1-ubyte.gz";
    }
  }

  private FashionMnist() {}

  /**
   * Reads one part.
   *
   * @param directory the folder with the four files
   * @param part which part
   * @return its images (28x28) and labels (0 to 9)
   * @throws NoSuchFileException if the directory or a file is missing (the message says how to
   *     install the data)
   * @throws IdxFormatException if a file is malformed, the two files disagree on the number of
   *     examples, the images are not 28x28 or a label is not a class
   * @throws IOException if a file cannot be read
   */
  public static LabeledImages load(Path directory, Part part) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(part, "part");
    if (!Files.isDirectory(directory)) {
      throw new NoSuchFileException(
          directory.toString(),
          null,
          "no Fashion-MNIST directory here; install Debian's package dataset-fashion-mnist"
              + " (files in "
              + DEBIAN_DIRECTORY
              + ") or give the folder that holds "
              + part.imageFile()
              + " and "
              + part.labelFile());
    }
    Path imageFile = directory.resolve(part.imageFile());
    Path labelFile = directory.resolve(part.labelFile());
    IdxImages images = Idx.readImages(imageFile);
    if (images.rows() != 28 || images.columns() != 28) {
      throw new IdxFormatException(
          imageFile,
          "Fashion-MNIST images are 28x28, this file has "
              + images.rows()
              + "x"
              + images.columns());
    }
    int[] labels = Idx.readLabels(labelFile);
    if (labels.length != images.count()) {
      throw new IdxFormatException(
          labelFile,
          "has "
              + labels.length
              + " labels but "
              + imageFile.getFileName()
              + " has "
              + images.count()
              + " images");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= CLASSES) {
        throw new IdxFormatException(
            labelFile, "label " + labels[i] + " of example " + i + " is not a class 0 to 9");
      }
    }
    return new LabeledImages(images, labels);
  }
}
