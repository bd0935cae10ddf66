/**
 * HOAG: the implicit hypergradient at an approximate lower-level solution (Pedregosa,
 * "Hyperparameter optimization with approximate gradient", ICML 2016), with the linear system
 * solved by conjugate gradient on Hessian-vector products.
 */
module org.boml.plugins.hoag {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.hoag.HoagProvider;
}
