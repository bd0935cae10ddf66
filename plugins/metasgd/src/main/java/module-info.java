/**
 * Meta-SGD (Li, Zhou, Chen and Li, "Meta-SGD: Learning to Learn Quickly for Few-Shot Learning",
 * 2017): lower-level steps {@code y <- y - alpha o grad_y f} with per-parameter step sizes {@code
 * alpha} meta-learned together with the initialization.
 */
module org.boml.plugins.metasgd {
  requires org.boml.api;

  provides org.boml.api.IterationModuleProvider with
      org.boml.plugins.metasgd.MetaSgdProvider;
}
