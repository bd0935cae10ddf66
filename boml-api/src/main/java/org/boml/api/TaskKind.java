package org.boml.api;

/**
 * What the targets of a dataset are; the runtime picks the loss and the metric from it.
 *
 * <ul>
 *   <li>{@link #REGRESSION}: targets are real arrays shaped like the predictions; loss and metric
 *       are the mean squared error.
 *   <li>{@link #CLASSIFICATION}: targets are {@code int64} class indices of shape {@code (N)}; the
 *       loss is the mean softmax cross-entropy, the metric the accuracy.
 * </ul>
 */
public enum TaskKind {
  /** Real-valued targets, mean squared error. */
  REGRESSION,
  /** Class-index targets, cross-entropy and accuracy. */
  CLASSIFICATION
}
