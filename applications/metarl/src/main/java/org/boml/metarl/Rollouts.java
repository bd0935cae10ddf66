package org.boml.metarl;

import java.util.SplittableRandom;

/**
 * Episodes of one policy in one environment, all of the full horizon, stored step-major per
 * episode: step {@code t} of episode {@code e} is row {@code e * horizon + t}.
 *
 * @param episodes the number of episodes {@code E}
 * @param horizon the steps of each {@code H}
 * @param observations {@code E * H} observations (the one the action was taken in), row-major
 * @param actions {@code E * H} actions as sampled (before the environment restricts them)
 * @param rewards {@code E * H} rewards
 */
public record Rollouts(
    int episodes, int horizon, double[] observations, double[] actions, double[] rewards) {
  /**
   * Runs episodes.
   *
   * @param environment the task
   * @param policy the policy's numbers
   * @param episodes how many, {@code >= 1}
   * @param seed the seed of the actions' noise
   * @return the episodes
   */
  public static Rollouts sample(
      Environment environment, GaussianMlpPolicy.Sampler policy, int episodes, long seed) {
    if (episodes < 1) {
      throw new IllegalArgumentException("at least one episode is needed, got " + episodes);
    }
    int horizon = environment.horizon();
    int observationSize = environment.observationSize();
    int actionSize = environment.actionSize();
    int rows = episodes * horizon;
    double[] observations = new double[rows * observationSize];
    double[] actions = new double[rows * actionSize];
    double[] rewards = new double[rows];
    SplittableRandom random = new SplittableRandom(seed);
    for (int e = 0; e < episodes; e++) {
      double[] observation = environment.initialObservation();
      for (int t = 0; t < horizon; t++) {
        int row = e * horizon + t;
        double[] action = policy.act(observation, random);
        System.arraycopy(observation, 0, observations, row * observationSize, observationSize);
        System.arraycopy(action, 0, actions, row * actionSize, actionSize);
        Environment.Transition next = environment.step(observation, action);
        rewards[row] = next.reward();
        observation = next.observation();
      }
    }
    return new Rollouts(episodes, horizon, observations, actions, rewards);
  }

  /**
   * The number of rows, {@code E * H}.
   *
   * @return the count
   */
  public int rows() {
    return episodes * horizon;
  }

  /**
   * The observation size.
   *
   * @return the number of values per observation
   */
  public int observationSize() {
    return observations.length / rows();
  }

  /**
   * The action size.
   *
   * @return the number of values per action
   */
  public int actionSize() {
    return actions.length / rows();
  }

  /**
   * The mean over episodes of the undiscounted sum of rewards, the return the MAML paper reports.
   *
   * @return the average return
   */
  public double averageReturn() {
    double sum = 0;
    for (double reward : rewards) {
      sum += reward;
    }
    return sum / episodes;
  }

  /**
   * The discounted return from every step to the end of its episode, {@code R_t = r_t + gamma
   * R_{t+1}}.
   *
   * @param discount {@code gamma} in {@code [0, 1]}
   * @return one value per row
   */
  public double[] returnsToGo(double discount) {
    double[] returns = new double[rows()];
    for (int e = 0; e < episodes; e++) {
      double following = 0;
      for (int t = horizon - 1; t >= 0; t--) {
        int row = e * horizon + t;
        following = rewards[row] + discount * following;
        returns[row] = following;
      }
    }
    return returns;
  }
}
