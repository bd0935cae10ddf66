/**
 * The {@code hoag} hypergradient module: the implicit hypergradient at the last lower-level iterate
 * (Pedregosa, ICML 2016), with {@code H q = grad_y F} solved by conjugate gradient on
 * Hessian-vector products, optionally damped to {@code (H + lambda I) q = grad_y F} and
 * warm-started from the previous solution ({@link ImplicitHypergradient}), registered by {@link
 * HoagProvider}. A solve that does not reach its tolerance (a singular Hessian that {@code grad_y
 * F} reaches, or too few iterations) is refused at run time rather than returned. Memory does not
 * grow with {@code T} and the steps need not be differentiable, but the provider requires dynamics
 * that settle on a stationary point and a problem in which {@code x} enters {@code f}: for
 * meta-initialization the result would be just {@code partial_x F}.
 */
package org.boml.plugins.hoag;
