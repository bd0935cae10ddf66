/**
 * The {@code miniimagenet} dataset plugin: MiniImageNet in the layout of Ravi and Larochelle, an
 * {@code images/} folder and the class split in {@code train.csv}, {@code val.csv} and {@code
 * test.csv} ({@link SplitFiles}). {@link MiniImageNetProvider} decodes and resizes every image once
 * per JVM and caches it as bytes ({@link PackedClass}), and {@link MiniImageNetDataset} samples
 * N-way K-shot episodes over that 8-bit storage with the algorithm of {@link
 * org.boml.datasets.fewshot.EpisodeSampler}. It downloads nothing: the data directory must already
 * hold the files.
 */
package org.boml.datasets.miniimagenet;
