package org.boml.runtime.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.boml.api.BilevelProblem;
import org.boml.api.IterationModule;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.Adam;
import org.boml.plugins.basicdynamics.HeavyBall;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Momentum and Adam carry their own state in y, and hypergradient modules pass the whole state to
 * F: a user's objectives ({@link Bilevel}) and the model of a supervised task must still see the
 * base parameters only.
 */
class BaseParametersOnlyTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();

  private static IterationModule dynamics(String name) {
    return name.equals("momentum") ? new HeavyBall(0.1, 0.9) : new Adam(0.1, 0.9, 0.999, 1e-8);
  }

  /** Runs two steps and evaluates F on the whole state, as a hypergradient module does. */
  private static Variables stateAfterTwoSteps(
      IterationModule dynamics, BilevelProblem problem, Variables x) {
    Variables y = dynamics.initialize(x, problem, D);
    for (int t = 0; t < 2; t++) {
      y = dynamics.step(t, x, y, problem, D, true);
    }
    problem.upperObjective(x, y);
    return y;
  }

  @ParameterizedTest
  @ValueSource(strings = {"momentum", "adam"})
  void aBilevelsObjectivesSeeTheVariablesOfY0Only(String name) {
    try (NDManager manager = NDManager.newBaseManager()) {
      List<List<String>> seen = new ArrayList<>();
      Bilevel definition =
          Bilevel.of(
              (x, y) -> {
                seen.add(y.names());
                return y.get("w").square().sum().mul(x.get("a"));
              },
              (x, y) -> {
                seen.add(y.names());
                return y.get("w").sum();
              },
              x -> Variables.of(Map.of("w", manager.ones(new Shape(3), DataType.FLOAT64))));
      Variables x = Variables.of(Map.of("a", D.constant(manager, 0.5, DataType.FLOAT64)));
      BilevelProblem problem = definition.in(manager);
      Variables state = stateAfterTwoSteps(dynamics(name), problem, x);
      assertTrue(state.size() > 1, "the dynamics carry no state of their own: " + state);
      assertEquals(List.of(List.of("w"), List.of("w"), List.of("w")), seen);
      assertSame(problem, BaseParametersOnly.of(problem), "wrapped twice");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"momentum", "adam"})
  void theModelOfASupervisedTaskSeesNoState(String name) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Recording model = new Recording(new Mlp(1, List.of(4), 1));
      Split points =
          new Split(
              manager.linspace(-1f, 1f, 5).reshape(5, 1).toType(DataType.FLOAT64, false),
              manager.linspace(0f, 2f, 5).reshape(5, 1).toType(DataType.FLOAT64, false));
      SupervisedProblem problem =
          new SupervisedProblem(
              model,
              new Task(points, points),
              TaskKind.REGRESSION,
              Family.META_INITIALIZATION,
              manager);
      Variables x = model.initialize(manager, DataType.FLOAT64, 3);
      stateAfterTwoSteps(dynamics(name), problem, x);
      List<String> parameters = model.parameterSpecs().stream().map(ParameterSpec::name).toList();
      assertEquals(3, model.seen.size());
      for (List<String> names : model.seen) {
        assertEquals(parameters, names);
      }
    }
  }

  /** A model that records the names of the parameters it is given. */
  private static final class Recording implements Model {
    private final Model model;
    private final List<List<String>> seen = new ArrayList<>();

    Recording(Model model) {
      this.model = model;
    }

    @Override
    public List<ParameterSpec> parameterSpecs() {
      return model.parameterSpecs();
    }

    @Override
    public Variables initialize(NDManager manager, DataType dataType, long seed) {
      return model.initialize(manager, dataType, seed);
    }

    @Override
    public NDArray forward(Variables params, NDArray input, boolean training) {
      seen.add(params.names());
      return model.forward(params, input, training);
    }
  }
}
