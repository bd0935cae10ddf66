/**
 * WarpGrad (Flennerhag, Rusu, Pascanu, Visin, Yin and Hadsell, "Meta-Learning with Warped Gradient
 * Descent", ICLR 2020): warp layers interleaved with the task layers precondition the lower level's
 * gradients; they are meta-learned on points of the task trajectories, without back-propagating
 * through the lower level.
 */
module org.boml.plugins.warpgrad {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.warpgrad.WarpGradProvider;
}
