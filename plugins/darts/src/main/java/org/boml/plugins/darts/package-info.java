/**
 * The {@code darts} hypergradient module: DARTS's finite-difference approximation of the one-step
 * unrolled hypergradient (Liu, Simonyan and Yang, ICLR 2019), applied to the last of the {@code T}
 * lower-level steps ({@link FiniteDifferenceHypergradient}), registered by {@link DartsProvider}.
 * It needs no Hessian-vector product, but its formula assumes that the last step is gradient
 * descent with a constant step size, shared with the dynamics as the {@code lr} option, and that
 * {@code x} enters {@code f}; the provider declares both as requirements.
 */
package org.boml.plugins.darts;
