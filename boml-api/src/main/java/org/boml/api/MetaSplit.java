package org.boml.api;

/**
 * The three disjoint parts of a meta-dataset. Tasks of different splits never share a class (or,
 * for continuous task families, are drawn from independent random streams).
 */
public enum MetaSplit {
  /** Tasks for meta-training. */
  TRAIN,
  /** Tasks for model selection during meta-training. */
  VALIDATION,
  /** Held-out tasks for the final evaluation. */
  TEST
}
