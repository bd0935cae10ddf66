package org.boml.runtime.train;

/**
 * How the task workers of a {@link MetaLearner} schedule the tasks' upper passes. A task's upper
 * pass is its upper objective on the validation split and the gradient through it, up to the end of
 * the hypergradient's final gradient ({@link org.boml.api.Differentiator#finalGradient}) or of the
 * task. It is the part of a task that holds the most memory: a convolutional network keeps the
 * activations of the whole query batch for it.
 */
public enum UpperPasses {
  /**
   * Every worker computes its task's upper pass when it gets there, beside the others (the
   * default). The fastest where memory is ample and for small models: the process holds up to one
   * upper pass per worker.
   */
  CONCURRENT,

  /**
   * One upper pass at a time on each device. A worker that reaches its upper objective while
   * another task's upper pass runs waits for it, and the other workers pause at their next
   * gradient. The worker whose upper pass runs widens its own intra-op threads to all the workers'
   * threads on its device (where the engine can, {@link
   * org.boml.runtime.engine.ComputeEngine#prepareWideThreads}), so that its large batch keeps the
   * cores busy, and narrows again when the pass ends. The process holds one upper pass instead of
   * one per worker. Results do not depend on timing: every upper pass runs on the same number of
   * threads. What it costs is measured in docs/performance.md: 10-25% more time for the Omniglot
   * convolutional network on two cores, and more for models so small that the waiting and the
   * widening outweigh their arithmetic (the sinusoid MLP took 1.7 times as long).
   */
  ONE_AT_A_TIME
}
