/**
 * The {@code trhg} hypergradient module: truncated back-propagation (Shaban et al., AISTATS 2019)
 * through the last {@code K} ({@code truncation}) of the {@code T} lower-level steps only, each
 * recomputed from its stored iterate ({@link TruncatedReverseHypergradient}, registered by {@link
 * TrhgProvider}). Memory is {@code O(K |y|)} instead of {@code O(T |y|)}; with {@code K >= T} the
 * result is {@code rhg}'s, and with {@code K < T} the term through {@code Psi_0} is dropped, so it
 * is meant for meta-parameters that the steps see rather than for meta-initialization.
 */
package org.boml.plugins.trhg;
