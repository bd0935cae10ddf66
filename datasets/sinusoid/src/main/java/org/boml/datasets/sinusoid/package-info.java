/**
 * The {@code sinusoid} dataset plugin, the few-shot regression of Finn et al. (ICML 2017): every
 * task is {@code y = A sin(x - phi)} with a random amplitude and phase, with {@code shots} training
 * and {@code queries} validation points ({@link SinusoidDataset}, registered by {@link
 * SinusoidProvider}, whose default model is {@code mlp}). It needs no data files: tasks are
 * generated from their seed, each meta-split from a random stream of its own.
 */
package org.boml.datasets.sinusoid;
