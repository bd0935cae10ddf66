/**
 * Plugin discovery and the checks made before any work starts. {@link PluginRegistry} is the facade
 * that finds the providers of the four services of {@code org.boml.api} on the module path and in
 * plugin directories, in steps that are each a class of their own: the jars of the directories
 * ({@code PluginJars}) loaded into a child module layer ({@code PluginLayer}), service loading that
 * refuses providers which fail to start or misbehave ({@code ProviderLoader}, {@code
 * ProviderCheck}), the API-version policy ({@code ApiVersionPolicy}), duplicate rejection ({@code
 * DuplicatePolicy}) and lookup by name with "did you mean" ({@code PluginLookup}); every refusal
 * names the jar. {@link Compatibility} decides from the declared {@link org.boml.api.Capabilities}
 * whether a hypergradient module, dynamics, a number of steps and a kind of problem can work
 * together. {@link PluginInfo} and {@link PluginIdentity} say where a provider came from, for
 * listings and error messages. Wiring the chosen plugins into a learner is not done here but where
 * a learner is built ({@code org.boml.runtime.train}, and {@code org.boml.runtime.run.Assembly} in
 * module {@code org.boml.cli}).
 */
package org.boml.runtime.plugin;
