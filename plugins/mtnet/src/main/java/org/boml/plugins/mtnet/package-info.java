/**
 * The {@code mtnet} iteration module: MT-net and T-net (Lee and Choi, ICML 2018). {@link
 * Transforms} adds to the meta-parameters a transformation {@code T} applied after every adapted
 * layer in the forward pass and, with masks, the logits of per-unit update masks; {@link
 * MaskedDescent} is gradient descent restricted to the units of the masks that {@link MaskSampler}
 * draws once per task (a straight-through Gumbel-softmax sample). {@link MtNetProvider} registers
 * both; the hypergradient comes from a module that differentiates through the trajectory, {@code
 * rhg} for {@code --method mtnet}.
 */
package org.boml.plugins.mtnet;
