/**
 * Plugin discovery and the checks made before any work starts. {@link PluginRegistry} finds the
 * providers of the four services of {@code org.boml.api} on the module path and in plugin
 * directories (loaded into a child module layer), and refuses, with a reason naming the jar,
 * providers built against an incompatible API version, duplicate names, and jars or modules that
 * cannot be loaded; {@link Compatibility} decides from the declared {@link
 * org.boml.api.Capabilities} whether a hypergradient module, dynamics, a number of steps and a kind
 * of problem can work together. {@link PluginInfo} and {@link PluginIdentity} say where a provider
 * came from, for listings and error messages. Wiring the chosen plugins into a learner is not done
 * here but in {@code org.boml.runtime.run.Assembly} (module {@code org.boml.cli}).
 */
package org.boml.runtime.plugin;
