/**
 * First-order MAML (Finn et al., "Model-Agnostic Meta-Learning for Fast Adaptation of Deep
 * Networks", ICML 2017, section 5.2).
 */
module org.boml.plugins.fmaml {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.fmaml.FirstOrderProvider;
}
