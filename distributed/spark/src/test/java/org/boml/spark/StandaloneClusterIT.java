package org.boml.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.boml.runtime.run.RunSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta-training against a standalone Spark cluster (a master and two one-core workers on 127.0.0.1,
 * in child JVMs): second-order MAML on sinusoid and on real Omniglot with a small convnet, in
 * float64, must give the single-process meta-parameters up to summation order. The executors get
 * BOML's module path and this JVM's class path from the driver ({@link ExecutorJvm}).
 *
 * <p>The bound, per parameter: {@value #STEP_FRACTION} of the Adam steps taken ({@code lr *
 * iterations}). The summation order changes the summed hypergradient in its last bits; Adam divides
 * each component by {@code sqrt(v) + 1e-8}, which turns that into a relative change of the step,
 * except where the hypergradient is itself rounding noise (a convolution bias followed by batch
 * normalization has zero gradient in exact arithmetic): there the noise, and its change, is
 * amplified by {@code 1/1e-8}. Measured: 2.8e-17 on sinusoid, 2.2e-9 (4.5e-7 of the steps) on
 * Omniglot. Tasks sampled with wrong seeds differ by whole steps.
 */
class StandaloneClusterIT {
  private static final double STEP_FRACTION = 1e-5;

  @TempDir static Path dir;
  private static StandaloneCluster cluster;
  private static JavaSparkContext spark;

  @BeforeAll
  static void start() throws Exception {
    cluster = StandaloneCluster.start(dir, 2, "1536m");
    try {
      SparkConf conf =
          Runs.conf(cluster.masterUrl())
              .set("spark.executor.memory", "1g")
              .set("spark.executor.cores", "1")
              .set("spark.cores.max", "2");
      ExecutorJvm.configure(conf);
      spark = new JavaSparkContext(conf);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void sinusoidOnTwoWorkers() throws Exception {
    trainAndCompare(Runs.sinusoid(), 3, 2);
  }

  @Test
  void omniglotOnTwoWorkers() throws Exception {
    Path data =
        Path.of(System.getProperty("basedir", ".")).resolve("../../../shared/data/omniglot");
    if (!Files.isDirectory(data)) {
      Assertions.fail(
          "real Omniglot data not found at "
              + data
              + ": the tests read ../shared/data/omniglot beside the checkout; put the official"
              + " Omniglot folders or zips there (./boml train --dataset omniglot --download"
              + " --data-dir DIR fetches them)");
    }
    RunSpec spec = new RunSpec();
    spec.dataset = "omniglot";
    spec.datasetOptions =
        new LinkedHashMap<>(
            Map.of("data-dir", data.toRealPath().toString(), "queries", "5", "split", "peer"));
    spec.model = "convnet";
    spec.modelOptions = new LinkedHashMap<>(Map.of("filters", "8", "blocks", "2"));
    spec.hypergradient = "rhg";
    spec.dynamicsOptions = new LinkedHashMap<>(Map.of("lr", "0.4"));
    spec.metaBatch = 4;
    spec.metaLearningRate = 0.005;
    spec.dtype = "float64";
    spec.seed = 3;
    spec.workers = 1;
    trainAndCompare(spec, 2, 2);
  }

  private static void trainAndCompare(RunSpec spec, int iterations, int partitions)
      throws Exception {
    Map<String, double[]> single = Runs.singleProcess(copy(spec), iterations);
    List<Double> losses = new ArrayList<>();
    Map<String, double[]> distributed;
    try (SparkMetaTrainer trainer =
        new SparkMetaTrainer(spark, copy(spec), Runs.PLUGINS, partitions)) {
      trainer.train(iterations, report -> losses.add(report.upperObjective()));
      distributed = Runs.values(trainer.learner());
    } catch (RuntimeException e) {
      throw new AssertionError("training on the cluster failed; logs:\n" + cluster.logs(), e);
    }
    assertEquals(iterations, losses.size());
    assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
    double difference = Runs.maxDifference(single, distributed);
    double bound = STEP_FRACTION * spec.metaLearningRate * iterations;
    assertTrue(
        difference <= bound,
        "cluster vs single process: max |difference| " + difference + " > " + bound);
  }

  private static RunSpec copy(RunSpec spec) {
    RunSpec copy =
        new com.google.gson.Gson().fromJson(new com.google.gson.Gson().toJson(spec), RunSpec.class);
    return copy;
  }
}
