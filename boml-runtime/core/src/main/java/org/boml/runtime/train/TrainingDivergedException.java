package org.boml.runtime.train;

/**
 * A non-finite objective or hypergradient: training stops rather than corrupt the meta-parameters,
 * which keep the values of the last good iteration.
 */
public class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error naming where the divergence happened.
   *
   * @param message the iteration, task and module, and what to try
   */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
