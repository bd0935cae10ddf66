/**
 * A reader for Fashion-MNIST's four gzip-compressed IDX files, with no dependency beyond the JDK:
 * {@link FashionMnist} loads the training or the test part of a directory (such as {@link
 * FashionMnist#DEBIAN_DIRECTORY}, where Debian installs it) as {@link LabeledImages}, and {@link
 * Idx} reads the unsigned-byte IDX format into {@link IdxImages} and label arrays, failing with an
 * {@link IdxFormatException} that names the file. It is not a meta-dataset: it provides no {@code
 * DatasetProvider} and does not depend on the API module; the hyper-cleaning application uses it.
 */
package org.boml.datasets.fashionmnist;
