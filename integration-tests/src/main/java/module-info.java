/**
 * The integration tests of BOML. The module has no code of its own: its tests (run by failsafe on
 * the class path, with the application on the module path as ./boml runs it) exercise the runtime,
 * every plugin and dataset, the command line in separate JVMs, and the third-party plugin kit.
 */
module org.boml.integration {
  requires org.boml.runtime;
}
