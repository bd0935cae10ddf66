package org.boml.metarl;

/**
 * One task of meta-reinforcement learning: a fully observed, episodic environment with continuous
 * observations and actions and a fixed horizon. Its dynamics are a pure function of the current
 * observation and the action, so that many episodes run side by side from one instance and the same
 * seed gives the same episodes; an implementation must be immutable and safe to share.
 */
public interface Environment {
  /**
   * The length of an observation vector.
   *
   * @return {@code >= 1}
   */
  int observationSize();

  /**
   * The length of an action vector.
   *
   * @return {@code >= 1}
   */
  int actionSize();

  /**
   * The number of steps of every episode.
   *
   * @return {@code H >= 1}
   */
  int horizon();

  /**
   * The first observation of an episode.
   *
   * @return a new array of {@link #observationSize()} values
   */
  double[] initialObservation();

  /**
   * One step of the environment.
   *
   * @param observation the current observation, not modified
   * @param action the action the policy took (any real values; the environment clips or otherwise
   *     restricts them itself), not modified
   * @return the next observation and the reward of this step
   */
  Transition step(double[] observation, double[] action);

  /**
   * The outcome of one step.
   *
   * @param observation the next observation
   * @param reward the reward received for the step
   */
  record Transition(double[] observation, double reward) {}
}
