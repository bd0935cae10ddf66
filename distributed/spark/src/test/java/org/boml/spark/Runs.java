package org.boml.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.boml.api.DatasetException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.MetaLearner;

/** Run configurations and single-process references shared by the Spark tests. */
final class Runs {
  static final PluginRegistry PLUGINS = PluginRegistry.discover(List.of());

  private Runs() {}

  /** Second-order MAML on sinusoid in float64: 6 tasks per iteration, seed 21. */
  static RunSpec sinusoid() {
    RunSpec spec = new RunSpec();
    spec.dataset = "sinusoid";
    spec.hypergradient = "rhg";
    spec.dynamicsOptions = new LinkedHashMap<>(Map.of("lr", "0.01"));
    spec.metaBatch = 6;
    spec.metaLearningRate = 0.01;
    spec.dtype = "float64";
    spec.seed = 21;
    spec.workers = 1;
    return spec;
  }

  /** A Spark configuration for tests: loopback only, no web UI. */
  static SparkConf conf(String master) {
    return new SparkConf()
        .setMaster(master)
        .setAppName("boml-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
  }

  /** The meta-parameters after training in this process, as {@code boml train} would. */
  static Map<String, double[]> singleProcess(RunSpec spec, int iterations) throws DatasetException {
    try (Assembly assembly = Assembly.forTraining(spec, PLUGINS);
        MetaLearner learner = assembly.learner().build()) {
      learner.train(iterations, report -> {});
      return values(learner);
    }
  }

  /** A copy of a learner's meta-parameters. */
  static Map<String, double[]> values(MetaLearner learner) {
    Map<String, double[]> copy = new LinkedHashMap<>();
    learner.metaParameters().asMap().forEach((name, a) -> copy.put(name, a.toDoubleArray()));
    return copy;
  }

  /** The largest absolute difference between two sets of parameters with the same names. */
  static double maxDifference(Map<String, double[]> a, Map<String, double[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      throw new AssertionError("names " + a.keySet() + " vs " + b.keySet());
    }
    double max = 0;
    for (String name : a.keySet()) {
      double[] x = a.get(name);
      double[] y = b.get(name);
      if (x.length != y.length) {
        throw new AssertionError(name + " has " + x.length + " vs " + y.length + " values");
      }
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }
}
