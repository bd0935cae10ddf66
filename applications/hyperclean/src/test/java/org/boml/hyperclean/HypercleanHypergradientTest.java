package org.boml.hyperclean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boml.api.BilevelProblem;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.testkit.HypergradientCheck;
import org.junit.jupiter.api.Test;

/**
 * The hyper-cleaning objectives in float64 on a tiny instance (8 examples of 5 pixels, 3 classes):
 * the rhg hypergradient with respect to the weight logits matches central finite differences of the
 * unrolled validation loss, and the lower objective is the weighted mean of the per-example
 * cross-entropies.
 */
class HypercleanHypergradientTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final int FEATURES = 5;
  private static final int CLASSES = 3;
  private static final int STEPS = 6;

  static HypercleanProblem tiny(NDManager manager, long seed) {
    Random random = new Random(seed);
    int[] counts = {8, 6, 4};
    float[][] images = new float[3][];
    int[][] labels = new int[3][];
    for (int s = 0; s < 3; s++) {
      images[s] = new float[counts[s] * FEATURES];
      labels[s] = new int[counts[s]];
      for (int i = 0; i < images[s].length; i++) {
        images[s][i] = random.nextFloat();
      }
      for (int i = 0; i < counts[s]; i++) {
        labels[s][i] = random.nextInt(CLASSES);
      }
    }
    return HypercleanProblem.of(manager, DataType.FLOAT64, FEATURES, CLASSES, images, labels);
  }

  @Test
  void rhgMatchesFiniteDifferencesOfTheUnrolledValidationLoss() {
    PluginRegistry plugins = PluginRegistry.discover(List.of());
    IterationModule gd = plugins.iteration("gd").create(Map.of("lr", "1.0"));
    HypergradientModule rhg = plugins.hypergradient("rhg").create(Map.of());
    try (NDManager manager = NDManager.newBaseManager();
        HypercleanProblem problem = tiny(manager, 7)) {
      BilevelProblem bilevel = problem.bilevel().in(problem.manager());
      Random random = new Random(8);
      double[] logits = new double[problem.trainCount()];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = random.nextGaussian();
      }
      Variables x = Variables.of(Map.of(HypercleanProblem.LOGITS, manager.create(logits)));
      Hypergradient h = rhg.compute(bilevel, gd, x.map(D::leaf), STEPS, D);
      double norm = Math.sqrt(h.gradient().dot(h.gradient()));
      assertTrue(norm > 1e-4, "a vanishing hypergradient proves nothing: " + norm);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              point -> HypergradientCheck.unrolledObjective(bilevel, gd, point, STEPS, D),
              x,
              h.gradient(),
              6,
              1e-6,
              9);
      System.out.println("hyperclean rhg vs finite differences: " + check);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, check.toString());
    }
  }

  @Test
  void theLowerObjectiveIsTheWeightedMeanOfTheCrossEntropies() {
    try (NDManager manager = NDManager.newBaseManager();
        HypercleanProblem problem = tiny(manager, 11)) {
      // with W = 0, b = 0 every cross-entropy is log(classes)
      double[] weights = {0.1, 0.9, 0.5, 0.3, 1.0, 0.0, 0.7, 0.2};
      float[] asFloats = new float[weights.length];
      double sum = 0;
      for (int i = 0; i < weights.length; i++) {
        asFloats[i] = (float) weights[i];
        sum += asFloats[i];
      }
      Variables x = problem.fixedWeights(manager, asFloats);
      BilevelProblem bilevel = problem.withFixedWeights().in(manager);
      Variables y = bilevel.initialBase(x);
      double lower = bilevel.lowerObjective(0, x, y).getDouble();
      assertEquals(sum / weights.length * Math.log(CLASSES), lower, 1e-12);
      assertEquals(Math.log(CLASSES), bilevel.upperObjective(x, y).getDouble(), 1e-12);
      // zero logits are weights 1/2
      Variables zero = problem.zeroLogits(manager);
      double half = problem.bilevel().in(manager).lowerObjective(0, zero, y).getDouble();
      assertEquals(0.5 * Math.log(CLASSES), half, 1e-12);
    }
  }
}
