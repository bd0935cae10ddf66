package org.boml.metarl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** 2D navigation, episodes and returns, and the baseline, against values computed by hand. */
class EnvironmentTest {
  @Test
  void goalsAreDrawnInTheSquareAndFixedByTheSeed() {
    Navigation2d family = new Navigation2d();
    for (long seed = 0; seed < 200; seed++) {
      Navigation2d.Goal goal = family.task(seed);
      assertTrue(Math.abs(goal.x()) <= 0.5 && Math.abs(goal.y()) <= 0.5, goal.toString());
      assertEquals(goal, family.task(seed));
    }
    assertNotEquals(family.task(1), family.task(2));
    assertEquals(100, family.task(0).horizon());
  }

  @Test
  void aStepMovesByTheClippedActionAndRewardsMinusTheDistance() {
    Navigation2d.Goal goal = new Navigation2d.Goal(0.3, -0.4);
    Environment.Transition next = goal.step(new double[] {0.1, 0.2}, new double[] {0.05, -3});
    assertArrayEquals(new double[] {0.15, 0.1}, next.observation(), 1e-15);
    assertEquals(-Math.sqrt(0.15 * 0.15 + 0.5 * 0.5), next.reward(), 1e-15);
  }

  @Test
  void returnsToGoDiscountTheRestOfTheirEpisodeOnly() {
    Rollouts rollouts =
        new Rollouts(2, 3, new double[6], new double[6], new double[] {1, 2, 3, -1, 0, 4});
    assertArrayEquals(
        new double[] {1 + 0.5 * 2 + 0.25 * 3, 2 + 0.5 * 3, 3, -1 + 0.25 * 4, 0.5 * 4, 4},
        rollouts.returnsToGo(0.5),
        1e-15);
    assertEquals((6 + 3) / 2.0, rollouts.averageReturn(), 1e-15);
  }

  @Test
  void episodesFollowTheEnvironmentAndRepeatWithTheirSeed() {
    GaussianMlpPolicy.Sampler policy = samplerOfZeroPolicy();
    Navigation2d.Goal goal = new Navigation2d.Goal(0.2, 0.1);
    Rollouts a = Rollouts.sample(goal, policy, 2, 9);
    Rollouts b = Rollouts.sample(goal, policy, 2, 9);
    assertArrayEquals(a.actions(), b.actions());
    assertArrayEquals(a.rewards(), b.rewards());
    assertEquals(200, a.rows());
    for (int e = 0; e < 2; e++) {
      double[] position = {0, 0};
      for (int t = 0; t < 100; t++) {
        int row = e * 100 + t;
        assertArrayEquals(
            position, new double[] {a.observations()[2 * row], a.observations()[2 * row + 1]});
        Environment.Transition next =
            goal.step(position, new double[] {a.actions()[2 * row], a.actions()[2 * row + 1]});
        assertEquals(next.reward(), a.rewards()[row]);
        position = next.observation();
      }
    }
  }

  @Test
  void theBaselineFitsReturnsThatAreLinearInItsFeatures() {
    Rollouts rollouts =
        Rollouts.sample(new Navigation2d.Goal(-0.3, 0.2), samplerOfZeroPolicy(), 4, 3);
    double[] returns = new double[rollouts.rows()];
    for (int row = 0; row < returns.length; row++) {
      double s0 = rollouts.observations()[2 * row];
      double s1 = rollouts.observations()[2 * row + 1];
      double a = (row % 100) / 100.0;
      returns[row] = 0.5 - 2 * s0 + 3 * s1 * s1 + 1.5 * a - 0.7 * a * a * a;
    }
    double[] predicted = LinearFeatureBaseline.fit(rollouts, returns).predict(rollouts);
    assertArrayEquals(returns, predicted, 1e-4);
  }

  @Test
  void advantagesAreCenteredAndScaled() {
    Rollouts rollouts =
        Rollouts.sample(new Navigation2d.Goal(0.4, 0.4), samplerOfZeroPolicy(), 3, 5);
    double[] advantages = LinearFeatureBaseline.advantages(rollouts, 0.99);
    double mean = 0;
    double squares = 0;
    for (double value : advantages) {
      mean += value / advantages.length;
    }
    for (double value : advantages) {
      squares += (value - mean) * (value - mean) / advantages.length;
    }
    assertEquals(0, mean, 1e-12);
    assertEquals(1, squares, 1e-6);
  }

  /** A 2-3-2 policy with zero weights: mean action 0, unit standard deviation. */
  static GaussianMlpPolicy.Sampler samplerOfZeroPolicy() {
    return PolicyTest.withManager(
        manager -> {
          GaussianMlpPolicy policy = new GaussianMlpPolicy(2, List.of(3), 2);
          return policy.sampler(
              policy
                  .initialize(manager, ai.djl.ndarray.types.DataType.FLOAT64, 0)
                  .map(ai.djl.ndarray.NDArray::zerosLike));
        });
  }
}
