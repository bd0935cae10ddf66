package org.boml.metarl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.engine.pytorch.Engines;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The meta-policy gradient in float64 on a tiny instance (a 2-6-5-2 policy, 3 episodes per
 * surrogate): once a {@link PolicyGradientProblem} has sampled its episodes, {@code J(x) = F(x,
 * y_T(x))} is a deterministic function, and {@code rhg}'s hypergradient must be its derivative,
 * checked against central differences along random directions; {@code fmaml}'s must be exactly
 * {@code grad_y F} at {@code y_T}, and differ from {@code rhg}'s by the second-order term.
 */
class MetaRlHypergradientTest {
  private static final double INNER_LR = 0.1;

  private final PluginRegistry plugins = PluginRegistry.discover(List.of());
  private final Differentiator d = TorchDifferentiator.get();
  private NDManager manager;
  private GaussianMlpPolicy policy;
  private IterationModule gd;

  @BeforeEach
  void start() {
    Engines.pytorch();
    manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH);
    policy = new GaussianMlpPolicy(2, List.of(6, 5), 2);
    gd = plugins.iteration(MetaRl.DYNAMICS).create(Map.of("lr", Double.toString(INNER_LR)));
  }

  @AfterEach
  void stop() {
    manager.close();
  }

  private Variables leaves(Variables x) {
    return x.map(
        value -> {
          NDArray leaf = value.duplicate();
          leaf.setRequiresGradient(true);
          return leaf;
        });
  }

  /** {@code J(x)} with the problem's episodes as they are. */
  private double objective(PolicyGradientProblem problem, Variables x, int steps) {
    Variables y = gd.initialize(x, problem, d);
    for (int t = 0; t < steps; t++) {
      y = gd.step(t, x, y, problem, d, false);
    }
    return problem.upperObjective(x, y).getDouble();
  }

  private PolicyGradientProblem problem() {
    return new PolicyGradientProblem(
        new Navigation2d.Goal(0.31, -0.24), policy, 3, 0.99, manager, 11);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void rhgIsTheDerivativeOfTheSurrogateThroughTheInnerSteps(int steps) {
    Variables x = offKinks(policy.initialize(manager, DataType.FLOAT64, 5));
    PolicyGradientProblem problem = problem();
    HypergradientModule rhg = plugins.hypergradient("rhg").create(Map.of());
    Variables gradient = rhg.compute(problem, gd, leaves(x), steps, d).gradient();
    SplittableRandom random = new SplittableRandom(17);
    double epsilon = 1e-6;
    for (int direction = 0; direction < 3; direction++) {
      Variables u = x.map(value -> gaussian(random, value, 1));
      Variables plus = x.zip(u, (a, b) -> a.add(b.mul(scalar(epsilon))));
      Variables minus = x.zip(u, (a, b) -> a.sub(b.mul(scalar(epsilon))));
      double difference =
          (objective(problem, plus, steps) - objective(problem, minus, steps)) / (2 * epsilon);
      double analytic = gradient.dot(u);
      assertEquals(
          difference,
          analytic,
          1e-6 * Math.max(1, Math.abs(difference)),
          "direction " + direction + " with T = " + steps);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void fmamlIsTheGradientAtTheAdaptedPolicyWithoutTheSecondOrderTerm(int steps) {
    Variables x = offKinks(policy.initialize(manager, DataType.FLOAT64, 5));
    PolicyGradientProblem problem = problem();
    Variables first =
        plugins
            .hypergradient("fmaml")
            .create(Map.of())
            .compute(problem, gd, leaves(x), steps, d)
            .gradient();
    Variables exact =
        plugins
            .hypergradient("rhg")
            .create(Map.of())
            .compute(problem, gd, leaves(x), steps, d)
            .gradient();
    Variables y = gd.initialize(x, problem, d);
    for (int t = 0; t < steps; t++) {
      y = gd.step(t, x, y, problem, d, false);
    }
    Variables adapted = y.map(d::leaf);
    Variables atAdapted = d.gradient(problem.upperObjective(x, adapted), adapted, false);
    Variables error = first.zip(atAdapted, NDArray::sub);
    assertTrue(
        Math.sqrt(error.dot(error)) <= 1e-12 * Math.sqrt(atAdapted.dot(atAdapted)),
        "fmaml differs from grad_y F(y_T) by " + Math.sqrt(error.dot(error)));
    Variables secondOrder = exact.zip(first, NDArray::sub);
    assertTrue(
        Math.sqrt(secondOrder.dot(secondOrder)) > 1e-3 * Math.sqrt(exact.dot(exact)),
        "the second-order term is negligible: " + Math.sqrt(secondOrder.dot(secondOrder)));
  }

  /**
   * The initialization with every parameter moved randomly: with zero biases the first layer's
   * pre-activations at the first observation (the origin) are exactly 0, on the kink of the ReLU,
   * where the inner step's gradient jumps and no finite difference converges.
   */
  private Variables offKinks(Variables x) {
    SplittableRandom random = new SplittableRandom(23);
    return x.map(value -> value.add(gaussian(random, value, 0.1)));
  }

  private NDArray gaussian(SplittableRandom random, NDArray like, double scale) {
    double[] values = new double[Math.toIntExact(like.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = scale * random.nextGaussian();
    }
    return Arrays64.engineOwned(manager, values, like.getShape(), DataType.FLOAT64);
  }

  private NDArray scalar(double value) {
    return Arrays64.engineOwned(manager, new double[] {value}, new Shape(), DataType.FLOAT64);
  }
}
