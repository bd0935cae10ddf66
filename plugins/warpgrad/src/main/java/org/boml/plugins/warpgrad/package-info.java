/**
 * The {@code warpgrad} hypergradient module: WarpGrad (Flennerhag et al., ICLR 2020). {@link
 * WarpLayers} adds warp layers, starting as the identity, after every adapted layer but the output
 * layer, as meta-parameters that are never adapted, and {@link WarpGradHypergradient} meta-learns
 * them on the points of the lower-level trajectory, back-propagating through one step from each
 * point instead of through the whole trajectory, while the initialization follows the simplified
 * Leap objective or stays fixed. {@link WarpGradProvider} registers both, and requires a problem
 * whose features the lower level adapts (meta-initialization).
 */
package org.boml.plugins.warpgrad;
