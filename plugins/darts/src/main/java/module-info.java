/**
 * DARTS: the finite-difference hypergradient of Liu, Simonyan and Yang ("DARTS: Differentiable
 * Architecture Search", ICLR 2019), generalized from one lower-level step to the last of {@code T}.
 */
module org.boml.plugins.darts {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.darts.DartsProvider;
}
