package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;
import org.boml.runtime.train.PlainVariables;
import org.boml.runtime.train.TaskSum;
import org.junit.jupiter.api.Test;

/**
 * Conv-4 on the peer's workload (Omniglot 5-way 1-shot with 15 queries per class, 64 filters)
 * convolves the query batch in parts under its default im2col limit: in float64, six parts in the
 * second block and two in the third. The second-order hypergradient ({@code rhg} through one inner
 * step) and the meta-loss must equal the whole-batch network's ({@code im2col-mib=0}) to rounding.
 */
class ConvolutionPartsIT {
  private static final Shape ONE = new Shape(1, 1);

  @Test
  void partsGiveTheWholeBatchHypergradientOnOmniglot() throws DatasetException {
    long limit = ConvNet.DEFAULT_IM2COL_BYTES;
    assertEquals(1, ConvNet.parts(new Shape(75, 1, 28, 28), ONE, 8, limit));
    assertEquals(6, ConvNet.parts(new Shape(75, 64, 14, 14), ONE, 8, limit));
    assertEquals(2, ConvNet.parts(new Shape(75, 64, 7, 7), ONE, 8, limit));
    assertEquals(1, ConvNet.parts(new Shape(5, 64, 14, 14), ONE, 8, limit));

    PluginRegistry plugins = SinusoidTraining.plugins();
    try (Dataset omniglot = OmniglotTrainingIT.openFiveWayOneShot(15)) {
      TaskSum inParts;
      TaskSum whole;
      try (MetaLearner learner = learner(plugins, omniglot, "12").build()) {
        inParts = learner.solveTasks(0, 0, 1);
        try (MetaLearner reference =
            learner(plugins, omniglot, "0")
                .initialMetaParameters(learner.metaParameters())
                .build()) {
          whole = reference.solveTasks(0, 0, 1);
        }
      }
      assertEquals(whole.upperObjective(), inParts.upperObjective(), 1e-12);
      PlainVariables expected = whole.gradient();
      PlainVariables actual = inParts.gradient();
      assertEquals(expected.names(), actual.names());
      // relative to the largest entry of the whole hypergradient: the convolution biases' exact
      // gradient is zero (batch normalization removes them), so theirs is rounding
      double largest = 0;
      for (String name : expected.names()) {
        for (double v : expected.values(name)) {
          largest = Math.max(largest, Math.abs(v));
        }
      }
      assertTrue(largest > 1e-3, "the hypergradient is not zero: " + largest);
      for (String name : expected.names()) {
        double[] a = actual.values(name);
        double[] b = expected.values(name);
        double gap = 0;
        for (int i = 0; i < a.length; i++) {
          gap = Math.max(gap, Math.abs(a[i] - b[i]));
        }
        assertTrue(
            gap <= 1e-12 * largest,
            name + ": parts differ from the whole batch by " + gap + " (largest " + largest + ")");
      }
    }
  }

  private static MetaLearnerBuilder learner(
      PluginRegistry plugins, Dataset omniglot, String im2colMib) {
    return MetaLearner.builder()
        .dataset(omniglot)
        .model(
            plugins
                .model("convnet")
                .create(omniglot, Map.of("filters", "64", "im2col-mib", im2colMib)))
        .dynamics(plugins.iteration("gd"), Map.of("lr", "0.4"))
        .hypergradient(plugins.hypergradient("rhg"), Map.of())
        .plugins(plugins)
        .innerSteps(1)
        .metaBatch(1)
        .dataType(DataType.FLOAT64)
        .workers(1)
        .seed(0);
  }
}
