/**
 * What several of the runtime's packages share: "did you mean" suggestions for misspelt names
 * ({@link NearestName}). The engine itself (start-up, autodiff, threads, memory) is reached through
 * {@link org.boml.runtime.engine.ComputeEngines}. Nothing here knows about bilevel problems,
 * plugins or training.
 */
package org.boml.runtime;
