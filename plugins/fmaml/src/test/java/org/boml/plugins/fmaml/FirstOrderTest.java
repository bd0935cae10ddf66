package org.boml.plugins.fmaml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.boml.api.BilevelProblem;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.check.CheckProblems;
import org.boml.runtime.check.HypergradientCheck;
import org.boml.runtime.dynamics.GradientDescent;
import org.boml.runtime.problem.Family;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First-order MAML is exactly d/dx F(x, Psi_0(x) + Delta) with the lower-level displacement
 * Delta = y_T - y_0 frozen at x: checked in float64 against central finite differences of that
 * function, and shown to differ from the full (unrolled) hypergradient.
 */
class FirstOrderTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();

  static Stream<Arguments> problems() {
    BiFunction<NDManager, Family, CheckProblems.Instance> mlp = (m, f) -> CheckProblems.sinusoidMlp(m, f, 3);
    BiFunction<NDManager, Family, CheckProblems.Instance> conv = (m, f) -> CheckProblems.tinyConvNet(m, f, 4);
    return Stream.of(
        Arguments.of("sinusoid MLP", mlp, Family.META_INITIALIZATION, 0.02),
        Arguments.of("sinusoid MLP", mlp, Family.META_FEATURE, 0.05),
        Arguments.of("tiny conv net", conv, Family.META_INITIALIZATION, 0.1),
        Arguments.of("tiny conv net", conv, Family.META_FEATURE, 0.5));
  }

  @ParameterizedTest(name = "{0}, {2}")
  @MethodSource("problems")
  void isTheGradientWithTheDisplacementFrozen(
      String label, BiFunction<NDManager, Family, CheckProblems.Instance> factory, Family family, double lr) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = factory.apply(manager, family);
      BilevelProblem problem = instance.problem();
      IterationModule dynamics = new GradientDescent(lr);
      int steps = 3;
      FirstOrderProvider provider = new FirstOrderProvider();
      Hypergradient first = provider.create(Options.forProvider(java.util.Map.of(), provider))
          .compute(problem, dynamics, instance.x().map(D::leaf), steps, D);

      Variables start = dynamics.initialize(instance.x(), problem, D);
      Variables end = start;
      for (int t = 0; t < steps; t++) {
        end = dynamics.step(t, instance.x(), end, problem, D, false);
      }
      Variables displacement = end.zip(start, NDArray::sub);
      List<HypergradientCheck.Direction> check = HypergradientCheck.compare(
          x -> value(problem.upperObjective(x, dynamics.initialize(x, problem, D).zip(displacement, NDArray::add))),
          instance.x(), first.gradient(), 4, 1e-6, 9);
      assertTrue(HypergradientCheck.worst(check) < 1e-6, label + " " + family + ": " + check);

      List<HypergradientCheck.Direction> unrolled = HypergradientCheck.compare(
          x -> HypergradientCheck.unrolledObjective(problem, dynamics, x, steps, D),
          instance.x(), first.gradient(), 4, 1e-6, 9);
      assertTrue(HypergradientCheck.worst(unrolled) > 1e-4,
          "first-order MAML should not equal the exact hypergradient: " + unrolled);
    }
  }

  @ParameterizedTest(name = "{0}, {2}")
  @MethodSource("problems")
  void withoutStepsItIsTheExactGradient(
      String label, BiFunction<NDManager, Family, CheckProblems.Instance> factory, Family family, double lr) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = factory.apply(manager, family);
      IterationModule dynamics = new GradientDescent(lr);
      FirstOrderProvider provider = new FirstOrderProvider();
      Hypergradient first = provider.create(Options.forProvider(java.util.Map.of(), provider))
          .compute(instance.problem(), dynamics, instance.x().map(D::leaf), 0, D);
      Variables x = instance.x().map(D::leaf);
      Variables exact = D.gradient(
          instance.problem().upperObjective(x, dynamics.initialize(x, instance.problem(), D)), x, false);
      for (String name : x.names()) {
        assertArrayEquals(exact.get(name).toDoubleArray(), first.gradient().get(name).toDoubleArray(), 1e-12, name);
      }
    }
  }

  private static double value(NDArray scalar) {
    return scalar.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
  }
}
