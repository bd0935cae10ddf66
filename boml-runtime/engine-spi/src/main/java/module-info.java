/**
 * The compute-engine SPI of the BOML runtime: {@link org.boml.runtime.engine.ComputeEngine}, what
 * the runtime needs from a tensor engine beyond DJL's own API, and {@link
 * org.boml.runtime.engine.ComputeEngines}, which finds the one implementation on the module path by
 * {@link java.util.ServiceLoader}, the way DJL's {@code Engine} finds its engine providers.
 */
module org.boml.runtime.engine {
  requires transitive org.boml.api;

  exports org.boml.runtime.engine;

  uses org.boml.runtime.engine.ComputeEngine;
}
