/**
 * The {@code bda} iteration module: Bilevel Descent Aggregation (Liu et al., ICML 2020),
 * lower-level steps along a convex combination of the descent directions of {@code f} and {@code F}
 * whose upper-level weight decays with the step ({@link DescentAggregation}), registered by {@link
 * BdaProvider}. It supplies dynamics only: the hypergradient comes from any module that
 * differentiates through the trajectory, such as {@code rhg}.
 */
package org.boml.plugins.bda;
