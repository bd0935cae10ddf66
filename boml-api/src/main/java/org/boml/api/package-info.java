/**
 * The whole contract between the BOML runtime and its plugins, as interfaces and immutable values.
 * A plugin implements one of the four providers ({@link IterationModuleProvider}, {@link
 * HypergradientModuleProvider}, {@link DatasetProvider}, {@link ModelProvider}, all {@link Plugin}s
 * that declare their {@link OptionSpec}s and read them as {@link Options}) and states through
 * {@link Capabilities} which combinations make sense; it works in the vocabulary of {@link
 * BilevelProblem}, {@link IterationModule}, {@link HypergradientModule}, {@link Differentiator} and
 * {@link Variables}, and datasets and models speak in {@link Task}, {@link Split}, {@link Model},
 * {@link ParameterSpec}, {@link LayerHook} and {@link ModelExtension}. There are no engine types
 * here: arrays are DJL's engine-neutral {@code NDArray}s, and the {@link Differentiator}, plugin
 * discovery and the training loop come from the runtime. Every type is published API under semantic
 * versioning ({@link BomlApi#VERSION}), so a change must stay binary-compatible within a major
 * version.
 */
package org.boml.api;
