/**
 * The {@code fhg} hypergradient module: forward-mode differentiation (Franceschi et al., ICML 2017)
 * that carries the tangents {@code dy_t/dx} along with the lower-level steps ({@link
 * ForwardHypergradient}), registered by {@link FhgProvider}. Its memory does not grow with {@code
 * T}, but every step costs one product per scalar component of {@code x}, so it suits few
 * hyperparameters and refuses more than {@code max-hyperparameters}; with {@code online=true} it
 * returns the hypergradient of {@code F} averaged over the trajectory.
 */
package org.boml.plugins.fhg;
