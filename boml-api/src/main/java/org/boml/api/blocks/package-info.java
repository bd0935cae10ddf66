/**
 * Small building blocks that hypergradient plugins share, so that a plugin states its method and
 * leaves the common mechanics to one tested implementation: a lower-level {@link
 * org.boml.api.blocks.Trajectory} run without a graph that keeps a window of its iterates, the
 * derivatives of the upper objective at an iterate ({@link org.boml.api.blocks.UpperGradient}, the
 * prelude of the methods that work at the end of the steps), the {@link
 * org.boml.api.blocks.ReversePass} over a window of steps replayed from their stored iterates, and
 * {@link org.boml.api.blocks.ConjugateGradient} on Hessian-vector products. They are plain
 * functions of the API's types, hold no state and are safe to call from several threads; a plugin
 * that uses them still depends on {@code boml-api} only.
 *
 * @since 1.4.0
 */
package org.boml.api.blocks;
