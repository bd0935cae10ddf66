package org.boml.runtime.train;

/**
 * The outer learning rate of every iteration, decayed in steps: {@code base * factor^floor(i /
 * every)} at iteration {@code i} (from 0), like a DJL {@code Tracker}. A factor of 1 keeps the rate
 * constant.
 *
 * @param base the rate of the first iteration, a finite number above 0
 * @param factor the decay factor, in {@code (0, 1]}
 * @param every iterations between decays, at least 1
 */
public record LearningRateSchedule(double base, double factor, int every) {
  /** Checks the ranges. */
  public LearningRateSchedule {
    Ranges.positive("outer learning rate", base);
    Ranges.inOpenClosed("learning-rate decay", factor, 0, 1);
    Ranges.atLeast("decay interval", every, 1);
  }

  /**
   * A constant rate.
   *
   * @param rate the rate
   * @return the schedule
   */
  public static LearningRateSchedule constant(double rate) {
    return new LearningRateSchedule(rate, 1, 1);
  }

  /**
   * The rate at an iteration.
   *
   * @param iteration the iteration, from 0
   * @return the learning rate
   */
  public double at(int iteration) {
    return base * Math.pow(factor, Math.floor((double) iteration / every));
  }
}
