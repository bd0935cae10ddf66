/**
 * Building blocks shared by the image meta-datasets ({@code omniglot}, {@code miniimagenet}, {@code
 * tasks-dir}). {@link ImageDecoder} decodes image files with Pillow's conventions and {@link
 * LanczosResampler} resizes them exactly as Pillow's Lanczos filter does, so that preprocessing
 * matches the PyTorch reference; {@link ImageClass} holds one class's decoded images with a
 * rotation, and {@link EpisodeSampler} draws reproducible N-way K-shot episodes from a pool of
 * classes. It provides no dataset of its own and knows no file layout.
 */
package org.boml.datasets.fewshot;
