package org.boml.api;

/** The kinds of providers the runtime discovers. */
public enum PluginKind {
  /** Lower-level dynamics, {@link IterationModuleProvider}. */
  ITERATION,
  /** Hypergradient computation, {@link HypergradientModuleProvider}. */
  HYPERGRADIENT,
  /** Meta-datasets, {@link DatasetProvider}. */
  DATASET,
  /** Functional models, {@link ModelProvider}. */
  MODEL
}
