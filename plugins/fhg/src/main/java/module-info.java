/**
 * FHG: the forward-mode hypergradient (Franceschi, Donini, Frasconi and Pontil, "Forward and
 * Reverse Gradient-Based Hyperparameter Optimization", ICML 2017), which carries the tangents
 * {@code dy_t/dx} of the lower-level iterates along with the steps, for a few scalar
 * hyperparameters; with {@code online=true}, the hypergradient of the upper objective averaged over
 * the trajectory, as in the paper's real-time variant.
 */
module org.boml.plugins.fhg {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.fhg.FhgProvider;
}
