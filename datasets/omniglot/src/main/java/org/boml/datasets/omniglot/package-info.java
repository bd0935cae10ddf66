/**
 * The {@code omniglot} dataset plugin. {@link OmniglotProvider} finds the characters in the
 * official folders or zip archives ({@link CharacterSource}), downloading and verifying the
 * archives first when asked to ({@link ArchiveDownload}), and decodes, resizes and inverts them
 * once per JVM; {@link ClassSplit} divides the characters into meta-splits (BOML's seeded
 * 1200/100/323 proportions or the PyTorch reference benchmark's split), and {@link OmniglotDataset}
 * samples episodes, with rotated meta-train characters as extra classes, through the shared {@link
 * org.boml.datasets.fewshot.EpisodeSampler}. It is the only dataset module that uses the network,
 * and only with {@code download=true}.
 */
package org.boml.datasets.omniglot;
