package org.boml.plugins.fmaml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.BilevelProblem;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.check.CheckProblems;
import org.boml.runtime.check.HypergradientCheck;
import org.boml.runtime.dynamics.GradientDescent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First-order MAML is exactly d/dx F(x, Psi_0(x) + Delta) with the lower-level displacement Delta =
 * y_T - y_0 frozen at x: checked in float64 against central finite differences of that function,
 * and shown to differ from the full (unrolled) hypergradient.
 */
class FirstOrderTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();

  static List<CheckProblems.Case> problems() {
    return CheckProblems.standardCases(3);
  }

  private static Hypergradient firstOrder(
      CheckProblems.Instance instance, IterationModule dynamics, int steps) {
    return new FirstOrderProvider()
        .create(java.util.Map.of())
        .compute(instance.problem(), dynamics, instance.x().map(D::leaf), steps, D);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void isTheGradientWithTheDisplacementFrozen(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      BilevelProblem problem = instance.problem();
      IterationModule dynamics = new GradientDescent(testCase.learningRate());
      int steps = 3;
      Hypergradient first = firstOrder(instance, dynamics, steps);

      Variables start = dynamics.initialize(instance.x(), problem, D);
      Variables end = start;
      for (int t = 0; t < steps; t++) {
        end = dynamics.step(t, instance.x(), end, problem, D, false);
      }
      Variables displacement = end.zip(start, NDArray::sub);
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              x ->
                  value(
                      problem.upperObjective(
                          x, dynamics.initialize(x, problem, D).zip(displacement, NDArray::add))),
              instance.x(),
              first.gradient(),
              4,
              1e-6,
              9);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, testCase + ": " + check);

      List<HypergradientCheck.Direction> unrolled =
          HypergradientCheck.compare(
              x -> HypergradientCheck.unrolledObjective(problem, dynamics, x, steps, D),
              instance.x(),
              first.gradient(),
              4,
              1e-6,
              9);
      assertTrue(
          HypergradientCheck.worst(unrolled) > 1e-4,
          "first-order MAML should not equal the exact hypergradient: " + unrolled);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void withoutStepsItIsTheExactGradient(CheckProblems.Case testCase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = testCase.factory().apply(manager);
      IterationModule dynamics = new GradientDescent(testCase.learningRate());
      Hypergradient first = firstOrder(instance, dynamics, 0);
      Variables x = instance.x().map(D::leaf);
      Variables exact =
          D.gradient(
              instance.problem().upperObjective(x, dynamics.initialize(x, instance.problem(), D)),
              x,
              false);
      for (String name : x.names()) {
        assertArrayEquals(
            exact.get(name).toDoubleArray(),
            first.gradient().get(name).toDoubleArray(),
            1e-12,
            name);
      }
    }
  }

  private static double value(NDArray scalar) {
    return scalar.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
  }
}
