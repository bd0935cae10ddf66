package org.boml.metarl;

import java.util.SplittableRandom;

/**
 * 2D navigation, the first reinforcement-learning problem of the MAML paper (Finn et al. 2017,
 * section 5.3, after the point environment of its reference code): a point agent starts at the
 * origin and moves for {@value #HORIZON} steps; the observation is its position, the action a
 * displacement clipped to {@code [-0.1, 0.1]} per coordinate, and the reward of a step the negative
 * Euclidean distance from the new position to the task's goal. Goals are drawn uniformly from
 * {@code [-0.5, 0.5]^2}, one per task. Episodes always last the full horizon (the reference code
 * also ends one when the agent is within 0.01 of the goal, where the reward is nearly zero anyway).
 */
public final class Navigation2d implements EnvironmentFamily {
  /** The name of the family. */
  public static final String NAME = "navigation2d";

  /** The steps of an episode. */
  public static final int HORIZON = 100;

  /** The bound of every action coordinate. */
  public static final double MAX_ACTION = 0.1;

  /** The bound of every goal coordinate. */
  public static final double GOAL_RANGE = 0.5;

  /** The family (found by {@link java.util.ServiceLoader}). */
  public Navigation2d() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "2D navigation (Finn et al. 2017): reach a goal drawn in [-0.5, 0.5]^2, reward minus the"
        + " distance, horizon 100";
  }

  @Override
  public Goal task(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new Goal(
        random.nextDouble(-GOAL_RANGE, GOAL_RANGE), random.nextDouble(-GOAL_RANGE, GOAL_RANGE));
  }

  /**
   * The task of reaching one goal.
   *
   * @param x the goal's first coordinate
   * @param y the goal's second coordinate
   */
  public record Goal(double x, double y) implements Environment {
    @Override
    public int observationSize() {
      return 2;
    }

    @Override
    public int actionSize() {
      return 2;
    }

    @Override
    public int horizon() {
      return HORIZON;
    }

    @Override
    public double[] initialObservation() {
      return new double[2];
    }

    @Override
    public Transition step(double[] observation, double[] action) {
      double px = observation[0] + clip(action[0]);
      double py = observation[1] + clip(action[1]);
      return new Transition(new double[] {px, py}, -Math.hypot(px - x, py - y));
    }

    private static double clip(double value) {
      return Math.max(-MAX_ACTION, Math.min(MAX_ACTION, value));
    }
  }
}
