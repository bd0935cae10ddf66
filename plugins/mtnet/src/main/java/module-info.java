/**
 * MT-net and T-net (Lee and Choi, "Gradient-Based Meta-Learning with Learned Layerwise Metric and
 * Subspace", ICML 2018): meta-learned transformations {@code T} after every adapted layer, and
 * learned binary masks {@code M} that choose which units of each layer the lower level updates.
 */
module org.boml.plugins.mtnet {
  requires org.boml.api;

  provides org.boml.api.IterationModuleProvider with
      org.boml.plugins.mtnet.MtNetProvider;
}
