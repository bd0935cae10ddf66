/**
 * The {@code rhg} hypergradient module: the exact hypergradient by reverse-mode differentiation
 * through all {@code T} lower-level steps (Franceschi et al., ICML 2017), second-order MAML when
 * {@code x} is the initialization ({@link ReverseHypergradient}, registered by {@link
 * RhgProvider}). Its {@code strategy} option trades memory for time: {@code graph} keeps every
 * step's autograd graph, {@code replay} keeps only the iterates and recomputes each step in the
 * reverse pass, with the same numbers. It requires dynamics whose steps are differentiable.
 */
package org.boml.plugins.rhg;
