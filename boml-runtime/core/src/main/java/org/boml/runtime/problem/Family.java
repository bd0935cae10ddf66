package org.boml.runtime.problem;

/**
 * The two families of meta-learning methods, which differ in what the meta-parameters {@code x}
 * are.
 */
public enum Family {
  /**
   * {@code x} is the initialization of every parameter and the lower level adapts all of them:
   * {@code y_0 = x} (MAML and its relatives).
   */
  META_INITIALIZATION,
  /**
   * {@code x} is a shared feature extractor (every group but the head) and the lower level adapts
   * only a per-task head that starts from zero: {@code y_0 = 0}.
   */
  META_FEATURE
}
