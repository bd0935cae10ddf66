package org.boml.runtime.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.boml.api.Differentiator;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.junit.jupiter.api.Test;

/**
 * The upper objective keeps no handle on its forward pass's activations, so the final gradient of
 * {@code F} frees them while {@code F} is still open: what a task holds after it is the gradient,
 * not the query batch's activations. The values are those of a gradient that keeps the graph.
 */
class UpperObjectiveMemoryTest {
  private static final int QUERIES = 4_000;
  private static final int HIDDEN = 2_048;

  @Test
  void theFinalGradientOfTheUpperObjectiveLeavesOnlyTheGradientBehind() {
    ComputeEngine engine = ComputeEngines.get();
    Differentiator d = engine.differentiator();
    try (NDManager manager = NDManager.newBaseManager()) {
      engine.prepareThread();
      Mlp model = new Mlp(16, List.of(HIDDEN), 5);
      Variables x = model.initialize(manager, DataType.FLOAT64, 7).map(d::leaf);
      Split query =
          new Split(
              manager.randomNormal(new Shape(QUERIES, 16)).toType(DataType.FLOAT64, false),
              manager.create(LongStream.range(0, QUERIES).map(i -> i % 5).toArray()));
      SupervisedProblem problem =
          new SupervisedProblem(
              model,
              new Task(query, query),
              TaskKind.CLASSIFICATION,
              Family.META_INITIALIZATION,
              manager);

      NDArray kept = problem.upperObjective(x, x);
      double[] keptGradient = d.gradient(kept, x, false).get("layer0.weight").toDoubleArray();
      kept.close();

      long before = bytesInUse(engine);
      NDArray released = problem.upperObjective(x, x);
      Variables gradient = d.finalGradient(released, x);
      long growth = bytesInUse(engine) - before;

      assertArrayEquals(keptGradient, gradient.get("layer0.weight").toDoubleArray(), 0.0);
      long activation = 8L * QUERIES * HIDDEN; // one hidden layer's output, 64 MB
      long gradientBytes =
          8L * x.values().stream().mapToLong(value -> value.getShape().size()).sum();
      assertTrue(
          growth < gradientBytes + activation / 2,
          "after the final gradient the task still holds "
              + growth
              + " bytes; the gradient is "
              + gradientBytes
              + " and one activation "
              + activation);
    }
  }

  private static long bytesInUse(ComputeEngine engine) {
    OptionalLong bytes = engine.nativeBytesInUse();
    assumeTrue(bytes.isPresent(), "the allocator does not report its bytes in use");
    return bytes.getAsLong();
  }
}
