/**
 * RHG: the reverse-mode hypergradient through the whole lower-level trajectory (Franceschi et al.,
 * "Forward and Reverse Gradient-Based Hyperparameter Optimization", ICML 2017); second-order MAML
 * when {@code x} is the initialization.
 */
module org.boml.plugins.rhg {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.rhg.RhgProvider;
}
