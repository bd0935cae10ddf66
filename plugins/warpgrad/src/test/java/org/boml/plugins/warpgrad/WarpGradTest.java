package org.boml.plugins.warpgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.ModelExtension;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.AdamProvider;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.basicdynamics.GradientDescentProvider;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.CheckTasks;
import org.boml.testkit.CombinationCheck;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WarpGrad in float64: its meta-gradient against finite differences of its stated objective,
 * computed here from the trajectory independently of the module; the Leap gradient of the
 * initialization; training with each model; refused combinations.
 */
class WarpGradTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int STEPS = 3;
  private final WarpGradProvider provider = new WarpGradProvider();

  private ModelExtension warps(String kernel) {
    return provider
        .modelExtension(org.boml.api.Options.forProvider(Map.of("kernel", kernel), provider))
        .orElseThrow();
  }

  private CheckProblems.Instance instance(String network, NDManager manager) {
    Optional<ModelExtension> extension = Optional.of(warps(network.endsWith("k1") ? "1" : "3"));
    CheckProblems.Instance plain =
        network.equals("mlp")
            ? CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 5, extension)
            : CheckProblems.tinyConvNet(manager, Family.META_INITIALIZATION, 5, extension);
    return new CheckProblems.Instance(
        plain.problem(),
        CheckProblems.jitter(plain.x(), n -> n.startsWith(WarpLayers.PREFIX), 0.2, 5));
  }

  private HypergradientModule module(String init, String weighting) {
    return provider.create(Map.of("init", init, "weighting", weighting));
  }

  /** The trajectory y_0..y_T of gradient descent at x, without a graph. */
  private static List<Variables> trajectory(
      CheckProblems.Instance instance, IterationModule dynamics) {
    List<Variables> points = new ArrayList<>();
    points.add(instance.problem().initialBase(instance.x()).map(NDArray::stopGradient));
    for (int t = 0; t < STEPS; t++) {
      points.add(dynamics.step(t, instance.x(), points.get(t), instance.problem(), D, false));
    }
    return points;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "convnet", "convnet-k1"})
  void warpGradientIsTheGradientOfTheOneStepObjectiveOverTheTrajectory(String network) {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = instance(network, manager);
      IterationModule dynamics = new GradientDescent(network.equals("mlp") ? 0.02 : 0.1);
      Variables x = instance.x().map(D::leaf);
      Variables gradient =
          module("none", "increasing")
              .compute(instance.problem(), dynamics, x, STEPS, D)
              .gradient();
      List<Variables> points = trajectory(instance, dynamics);
      Variables warp = instance.x().select(n -> n.startsWith(WarpLayers.PREFIX));
      Variables model = instance.x().select(n -> !warp.contains(n));
      // the points are constants: the model's parameters get nothing from this objective
      for (String name : model.names()) {
        assertEquals(0, maxAbs(gradient.get(name)), 0, name);
      }
      double worst =
          HypergradientCheck.worst(
              HypergradientCheck.compare(
                  point -> objective(instance, dynamics, model.merge(point), points),
                  warp,
                  gradient.select(warp::contains),
                  4,
                  1e-5,
                  11));
      assertTrue(worst < 1e-6, "relative error " + worst);
    }
  }

  /** L(x) = sum_t w_t F(x, Psi_t(x, y_t)) with w_t = 2 (t + 1) / (T (T + 1)). */
  private static double objective(
      CheckProblems.Instance instance,
      IterationModule dynamics,
      Variables x,
      List<Variables> points) {
    double sum = 0;
    for (int t = 0; t < STEPS; t++) {
      Variables next = dynamics.step(t, x, points.get(t), instance.problem(), D, false);
      double weight = 2.0 * (t + 1) / (STEPS * (STEPS + 1));
      sum +=
          weight
              * instance
                  .problem()
                  .upperObjective(x, next)
                  .toType(DataType.FLOAT64, false)
                  .getDouble();
    }
    return sum;
  }

  @Test
  void leapMovesTheInitializationAlongTheTrajectorysUnitSegments() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance = instance("mlp", manager);
      IterationModule dynamics = new GradientDescent(0.02);
      Variables x = instance.x().map(D::leaf);
      Variables leap =
          module("leap", "uniform").compute(instance.problem(), dynamics, x, STEPS, D).gradient();
      Variables none =
          module("none", "uniform").compute(instance.problem(), dynamics, x, STEPS, D).gradient();
      List<Variables> points = trajectory(instance, dynamics);
      for (String name : points.get(0).names()) {
        NDArray expected = points.get(0).get(name).zerosLike();
        for (int t = 0; t < STEPS; t++) {
          double squares = 0;
          for (String other : points.get(0).names()) {
            squares +=
                points
                    .get(t)
                    .get(other)
                    .sub(points.get(t + 1).get(other))
                    .square()
                    .sum()
                    .getDouble();
          }
          NDArray length = manager.create(Math.sqrt(squares) + 1e-9);
          expected =
              expected.add(points.get(t).get(name).sub(points.get(t + 1).get(name)).div(length));
        }
        assertTrue(maxAbs(expected) > 0, name);
        assertEquals(0, maxAbs(leap.get(name).sub(none.get(name)).sub(expected)), 1e-10, name);
      }
      assertEquals(
          0,
          maxAbs(
              leap.get(WarpLayers.PREFIX + "layer0").sub(none.get(WarpLayers.PREFIX + "layer0"))),
          0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "convnet", "resnet"})
  void trainsEveryModel(String network) {
    try (MetaLearner learner =
        CheckTasks.learner(network)
            .dynamics(new GradientDescentProvider(), Map.of("lr", "0.05"))
            .hypergradient(provider, Map.of())
            .build()) {
      String first =
          learner.metaParameters().names().stream()
              .filter(n -> n.startsWith(WarpLayers.PREFIX))
              .findFirst()
              .orElseThrow();
      assertTrue(CheckTasks.trainedChange(learner, first, 3) > 0);
    }
  }

  @Test
  void refusesDynamicsWithMoreStateAndTheMetaFeatureFamily() {
    IncompatiblePluginsException adam =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                CombinationCheck.build(
                    provider,
                    Map.of(),
                    new AdamProvider(),
                    Map.of(),
                    Family.META_INITIALIZATION,
                    2));
    assertTrue(adam.getMessage().contains("single-state"), adam.getMessage());
    IncompatiblePluginsException feature =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                CombinationCheck.build(
                    provider,
                    Map.of(),
                    new GradientDescentProvider(),
                    Map.of(),
                    Family.META_FEATURE,
                    2));
    assertTrue(feature.getMessage().contains("adapted-features"), feature.getMessage());
    assertTrue(feature.getMessage().contains("meta-init"), feature.getMessage());
  }

  private static double maxAbs(NDArray array) {
    return array.abs().max().toType(DataType.FLOAT64, false).getDouble();
  }
}
