/**
 * The {@code tasks-dir} dataset plugin: a user's own few-shot evaluation episodes, one folder per
 * task with {@code support/<class>/} and {@code query/<class>/} image folders, found and checked by
 * {@link TaskFolders}. {@link TaskDirProvider} decodes every image when the dataset opens, with the
 * Pillow-compatible decoder and resampler of {@code org.boml.datasets.fewshot}, so that problems
 * with the files surface before any evaluation; {@link TaskDirDataset} is the resulting fixed,
 * finite list of tasks, task {@code i} in folder-name order for every split. It is what {@code boml
 * evaluate --tasks-dir} reads, and it caches nothing between opens.
 */
package org.boml.datasets.taskdir;
