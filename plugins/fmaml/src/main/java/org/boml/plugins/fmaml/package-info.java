/**
 * The {@code fmaml} hypergradient module: first-order MAML (Finn et al., ICML 2017), which runs the
 * lower-level steps without a graph and treats their Jacobians as the identity ({@link
 * FirstOrderHypergradient}), registered by {@link FirstOrderProvider}. It has no options and
 * requires nothing of the dynamics; its result is an approximation, not the exact hypergradient of
 * {@code rhg}.
 */
package org.boml.plugins.fmaml;
