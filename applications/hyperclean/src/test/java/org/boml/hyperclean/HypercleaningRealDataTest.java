package org.boml.hyperclean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/**
 * A small hyper-cleaning run on the real data (500 noisy training examples, half corrupted, 500
 * clean validation examples, T = 50, 40 outer iterations of rhg): the model trained with the
 * learned weights beats the one trained unweighted and the one with the initial weights on the test
 * set, and "weight &lt; 0.5" finds the corrupted examples far better than chance.
 */
class HypercleaningRealDataTest {
  @Test
  void learnedWeightsBeatTheNoisyBaselineAndFindTheCorruptedExamples() {
    HypercleanData data = HypercleanData.of(RealData.train(), RealData.test(), 500, 500, 0.5, 0);
    Hypercleaning.Settings settings = new Hypercleaning.Settings(50, 0.1, "rhg", Map.of(), 40, 0.1);
    int[] reports = {0};
    HypercleanResult result =
        Hypercleaning.run(
            data, settings, PluginRegistry.discover(List.of()), report -> reports[0]++);
    System.out.println("hyperclean 500/500, T=50, 40 rhg iterations: " + result);
    assertEquals(40, reports[0]);
    assertEquals(40, result.iterations());
    assertTrue(
        result.testAccuracy() > result.baselineAccuracy() + 0.005,
        "hyper-cleaned " + result.testAccuracy() + " vs unweighted " + result.baselineAccuracy());
    assertTrue(
        result.testAccuracy() > result.initialAccuracy() + 0.02,
        "hyper-cleaned " + result.testAccuracy() + " vs weights 1/2 " + result.initialAccuracy());
    assertEquals(2.0 / 3, result.chanceF1(), 1e-12);
    assertTrue(
        result.detection().f1() > result.chanceF1() + 0.1,
        "F1 " + result.detection() + " vs chance " + result.chanceF1());
    assertTrue(result.meanWeightClean() > result.meanWeightCorrupted() + 0.3, result.toString());
  }
}
