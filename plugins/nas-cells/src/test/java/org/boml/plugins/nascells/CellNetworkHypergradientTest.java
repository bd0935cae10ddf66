package org.boml.plugins.nascells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.ParameterSpec;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.runtime.problem.Losses;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The search space's hypergradients in float64 on a tiny instance (one cell of two nodes, two
 * channels, 8x8 inputs), against central finite differences: the first-order gradient of the
 * validation loss with respect to alpha, and the darts plugin's second-order hypergradient against
 * the objective it claims, {@code alpha -> F(alpha, w - xi grad_w f(alpha, w))}.
 */
class CellNetworkHypergradientTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final double XI = 0.5;

  /** DARTS's step: training loss {@code f}, validation loss {@code F}, {@code Psi_0 = w}. */
  private record Step(
      CellNetwork net,
      Variables weights,
      NDArray trainImages,
      NDArray trainLabels,
      NDArray validationImages,
      NDArray validationLabels,
      NDManager manager)
      implements BilevelProblem {
    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      return loss(x, y, trainImages, trainLabels);
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      return loss(x, y, validationImages, validationLabels);
    }

    @Override
    public Variables initialBase(Variables x) {
      return weights;
    }

    private NDArray loss(Variables x, Variables y, NDArray images, NDArray labels) {
      return Losses.loss(
          TaskKind.CLASSIFICATION,
          net.forward(x.merge(y.select(weights::contains)), images, true),
          labels);
    }
  }

  private static Step tiny(NDManager manager) {
    CellNetwork net = new CellNetwork(new Shape(1, 8, 8), 3, 1, 2, 2, Optional.empty());
    Variables all = net.initialize(manager, DataType.FLOAT64, 3);
    // alpha far from uniform, so that the softmax's curvature shows
    Variables weights = all.select(name -> !name.equals(CellNetwork.ALPHA));
    return new Step(
        net,
        weights,
        manager.randomNormal(0, 1, new Shape(6, 1, 8, 8), DataType.FLOAT64),
        manager.create(new long[] {0, 1, 2, 0, 1, 2}),
        manager.randomNormal(0, 1, new Shape(6, 1, 8, 8), DataType.FLOAT64),
        manager.create(new long[] {2, 2, 1, 0, 0, 1}),
        manager);
  }

  private static Variables alpha(NDManager manager) {
    return Variables.of(
        Map.of(
            CellNetwork.ALPHA,
            manager.randomNormal(
                0,
                1,
                new Shape(Genotype.searchEdges(2), Operation.values().length),
                DataType.FLOAT64)));
  }

  private static HypergradientModule plugin(String name, Map<String, String> options) {
    return TestKit.hypergradient(name).create(options);
  }

  @Test
  void alphaIsTheFeatureGroupAndTheWeightsTheHead() {
    CellNetwork net = new CellNetwork(new Shape(1, 8, 8), 3, 2, 2, 2, Optional.empty());
    List<ParameterSpec> specs = net.parameterSpecs();
    assertEquals(CellNetwork.ALPHA, specs.get(0).name());
    assertEquals(ParameterSpec.FEATURES, specs.get(0).group());
    assertEquals(new Shape(5, 8), specs.get(0).shape());
    assertTrue(specs.stream().skip(1).allMatch(s -> s.group().equals(ParameterSpec.HEAD)));
  }

  @Test
  void validationLossGradientMatchesCentralDifferences() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(11);
      Step step = tiny(manager);
      Variables alpha = alpha(manager);
      // fmaml with no lower-level step is the plain gradient of F(alpha, w)
      Variables gradient =
          plugin("fmaml", Map.of())
              .compute(step, new GradientDescent(XI), alpha.map(D::leaf), 0, D)
              .gradient();
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              a -> step.upperObjective(a, step.weights()).getDouble(), alpha, gradient, 5, 1e-5, 1);
      assertTrue(HypergradientCheck.worst(check) < 1e-7, check.toString());
    }
  }

  @Test
  void dartsMatchesTheOneStepUnrolledObjective() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(12);
      Step step = tiny(manager);
      Variables alpha = alpha(manager);
      IterationModule dynamics = new GradientDescent(XI);
      Variables darts =
          plugin("darts", Map.of("lr", Double.toString(XI), "epsilon-scale", "1e-4"))
              .compute(step, dynamics, alpha.map(D::leaf), 1, D)
              .gradient();
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              a -> HypergradientCheck.unrolledObjective(step, dynamics, a, 1, D),
              alpha,
              darts,
              5,
              1e-5,
              2);
      assertTrue(HypergradientCheck.worst(check) < 1e-5, "darts: " + check);
      // the first-order gradient misses the second-order term by far more than that
      Variables firstOrder =
          plugin("fmaml", Map.of()).compute(step, dynamics, alpha.map(D::leaf), 1, D).gradient();
      List<HypergradientCheck.Direction> missing =
          HypergradientCheck.compare(
              a -> HypergradientCheck.unrolledObjective(step, dynamics, a, 1, D),
              alpha,
              firstOrder,
              5,
              1e-5,
              2);
      assertTrue(HypergradientCheck.worst(missing) > 1e-2, "fmaml: " + missing);
      // and the first-order gradient is exactly the gradient with w' frozen
      Variables frozen = dynamics.step(0, alpha, step.weights(), step, D, false);
      List<HypergradientCheck.Direction> frozenCheck =
          HypergradientCheck.compare(
              a -> step.upperObjective(a, frozen).getDouble(), alpha, firstOrder, 5, 1e-5, 3);
      assertTrue(HypergradientCheck.worst(frozenCheck) < 1e-7, "fmaml frozen: " + frozenCheck);
    }
  }
}
