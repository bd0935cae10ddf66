/**
 * The standard lower-level dynamics as a plugin: gradient descent ({@code gd}), heavy-ball momentum
 * ({@code momentum}) and Adam ({@code adam}), each with an optionally learned step size. It needs
 * nothing but the API; its package is exported so that applications and tests can name its classes
 * and option keys.
 */
module org.boml.plugins.basicdynamics {
  requires transitive org.boml.api;

  exports org.boml.plugins.basicdynamics;

  provides org.boml.api.IterationModuleProvider with
      org.boml.plugins.basicdynamics.GradientDescentProvider,
      org.boml.plugins.basicdynamics.HeavyBallProvider,
      org.boml.plugins.basicdynamics.AdamProvider;
}
