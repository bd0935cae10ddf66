/**
 * The BOML test kit, for the tests of plugins (and of the standard dynamics and models, whose
 * plugins it builds its check problems on): float64 finite-difference checks of hypergradients,
 * small problems fixed by their seeds, the runtime's autodiff and plugin lookup behind one small
 * facade ({@link org.boml.testkit.TestKit}), and abstract JUnit 5 contract tests that a plugin's
 * test extends ({@code org.boml.testkit.contract}). A plugin's tests depend on {@code boml-api} and
 * {@code boml-testkit} only, which bring neither picocli nor AWT; {@code boml check-plugin}, in
 * {@code org.boml.cli}, runs the same checks from the command line.
 */
module org.boml.testkit {
  requires org.boml.api;
  requires transitive org.boml.runtime;
  requires transitive org.boml.plugins.basicdynamics;
  requires transitive org.boml.plugins.standardmodels;
  requires org.boml.engine.pytorch;

  exports org.boml.testkit;
  exports org.boml.testkit.contract;

  // A service org.boml.api uses: Surefire then puts the kit, and through it the runtime and the
  // engine, on the module path of every plugin's tests.
  provides org.boml.api.DatasetProvider with
      org.boml.testkit.CheckTasksProvider;
}
