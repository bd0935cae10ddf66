package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.boml.api.BilevelProblem;
import org.boml.api.Capabilities;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Bilevel;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.runtime.train.PlainVariables;
import org.boml.testkit.HypergradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hyperparameter optimization on a problem written with {@link Bilevel}, whose best x is known in
 * closed form:
 *
 * <pre>
 *   f(x, y) = 1/2 y^T A y - y^T B x,   F(x, y) = 1/2 |y - c|^2,   y_0 = 0,   A = diag(1, 2),
 *   B = [[1, 1/2], [0, 1]],   c = (1, -1).
 * </pre>
 *
 * The lower-level solution is y* = A^-1 B x, so the best x is x* = B^-1 A c = (2, -2), where F = 0.
 * After T gradient steps of size lr from 0, y_T = (I - (I - lr A)^T) A^-1 B x, and the best x for
 * the unrolled problem is B^-1 D c with D = diag(a_i / (1 - (1 - lr a_i)^T)), where F = 0 too.
 * Outer SGD on the reverse-mode hypergradient must reach it.
 */
class HyperparameterOptimizerTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());
  private static final double[] A = {1, 2};
  private static final double[] C = {1, -1};
  private static final double LR = 0.1;

  /** Reverse mode through the stored graph of all steps (what rhg's graph strategy computes). */
  private static final HypergradientModule REVERSE =
      (problem, dynamics, x, steps, d) -> {
        Variables y = dynamics.initialize(x, problem, d);
        for (int t = 0; t < steps; t++) {
          y = dynamics.step(t, x, y, problem, d, true);
        }
        NDArray upper = problem.upperObjective(x, y);
        return Hypergradient.of(d.gradient(upper, x, false), upper);
      };

  private static NDArray owned(NDManager manager, double[] values, Shape shape) {
    try (NDArray javaBacked = manager.create(values, shape)) {
      return javaBacked.duplicate();
    }
  }

  private static Bilevel quadratic(NDManager manager) {
    return quadratic(manager, y -> {});
  }

  /** The quadratic problem; both objectives show the state they are given to {@code seen}. */
  private static Bilevel quadratic(NDManager manager, Consumer<Variables> seen) {
    NDArray curvature = owned(manager, new double[] {A[0], 0, 0, A[1]}, new Shape(2, 2));
    NDArray coupling = owned(manager, new double[] {1, 0.5, 0, 1}, new Shape(2, 2));
    NDArray target = owned(manager, C, new Shape(2));
    NDArray half = D.constant(manager, 0.5, DataType.FLOAT64);
    return Bilevel.of(
        (x, y) -> {
          seen.accept(y);
          return y.get("y")
              .matMul(curvature.matMul(y.get("y")))
              .mul(half)
              .sub(y.get("y").matMul(coupling.matMul(x.get("x"))));
        },
        (x, y) -> {
          seen.accept(y);
          return y.get("y").sub(target).square().sum().mul(half);
        },
        x -> Variables.of(Map.of("y", manager.zeros(new Shape(2), DataType.FLOAT64))));
  }

  /** B^-1 D c with D = diag(a_i / (1 - (1 - lr a_i)^T)), or D = A for T = infinity (steps < 0). */
  private static double[] bestX(int steps) {
    double[] v = new double[2];
    for (int i = 0; i < 2; i++) {
      double reached = steps < 0 ? 1 : 1 - Math.pow(1 - LR * A[i], steps);
      v[i] = A[i] * C[i] / reached;
    }
    return new double[] {v[0] - 0.5 * v[1], v[1]};
  }

  @Test
  void convergesToTheClosedFormBestHyperparameters() {
    int steps = 60;
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables start =
          Variables.of(Map.of("x", owned(manager, new double[] {0.3, 0.4}, new Shape(2))));
      List<IterationReport> reports = new ArrayList<>();
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(quadratic(manager))
              .hyperparameters(start)
              .dynamics(REGISTRY.iteration("gd"), Map.of("lr", Double.toString(LR)))
              .hypergradient(REVERSE)
              .innerSteps(steps)
              .optimizer(OuterOptimizer.sgd(), 1.0)
              .build()) {
        search.run(150, reports::add);
        double[] x = search.hyperparameters().get("x").toDoubleArray();
        double[] unrolled = bestX(steps);
        double[] infinite = bestX(-1);
        System.out.printf(
            "hyperparameter optimization: x = (%.10f, %.10f), best for T=%d (%.10f, %.10f),"
                + " best for T=infinity (%.1f, %.1f); F %.2e after %d iterations, %.2f s%n",
            x[0],
            x[1],
            steps,
            unrolled[0],
            unrolled[1],
            infinite[0],
            infinite[1],
            reports.get(reports.size() - 1).upperObjective(),
            reports.size(),
            reports.get(reports.size() - 1).seconds());
        assertArrayEquals(unrolled, x, 1e-8);
        assertArrayEquals(new double[] {2, -2}, infinite, 0);
        assertArrayEquals(infinite, x, 5e-3);
        assertTrue(
            reports.get(reports.size() - 1).upperObjective() < 1e-16,
            reports.get(reports.size() - 1).toString());
        assertTrue(reports.get(0).upperObjective() > 0.5, reports.get(0).toString());
        assertEquals(150, search.completedIterations());
        assertArrayEquals(
            new double[] {0.3, 0.4},
            start.get("x").toDoubleArray(),
            0,
            "the caller's arrays are copied");
      }
    }
  }

  /**
   * The report holds the hypergradient itself at the hyperparameters before the update, as plain
   * arrays that outlive the iteration: the closed form of the unrolled problem, {@code M^T (M x -
   * c)} with {@code M = diag((1 - (1 - lr a_i)^T) / a_i) B}, and central finite differences of the
   * unrolled objective.
   */
  @Test
  void theReportHoldsTheHypergradientAtTheHyperparametersBeforeTheUpdate() {
    int steps = 7;
    double[] x0 = {0.3, -0.4};
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables start = Variables.of(Map.of("x", owned(manager, x0, new Shape(2))));
      List<IterationReport> reports = new ArrayList<>();
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(quadratic(manager))
              .hyperparameters(start)
              .dynamics(REGISTRY.iteration("gd"), Map.of("lr", Double.toString(LR)))
              .hypergradient(REVERSE)
              .innerSteps(steps)
              .optimizer(OuterOptimizer.sgd(), 0.5)
              .build()) {
        search.run(2, reports::add);
      }
      PlainVariables first = reports.get(0).hypergradient();
      assertEquals(List.of("x"), first.names());
      assertArrayEquals(unrolledHypergradient(x0, steps), first.values("x"), 1e-13);
      double norm = Math.hypot(first.values("x")[0], first.values("x")[1]);
      assertEquals(norm, reports.get(0).hypergradientNorm(), 1e-15);

      BilevelProblem problem = quadratic(manager).in(manager);
      IterationModule gd = REGISTRY.iteration("gd").create(Map.of("lr", Double.toString(LR)));
      List<HypergradientCheck.Direction> check =
          HypergradientCheck.compare(
              x -> HypergradientCheck.unrolledObjective(problem, gd, x, steps, D),
              start,
              first.toVariables(manager, DataType.FLOAT64),
              4,
              1e-6,
              5);
      assertTrue(HypergradientCheck.worst(check) < 1e-8, check::toString);

      // the second report is at the updated x = x0 - 0.5 g0
      double[] g0 = first.values("x");
      double[] x1 = {x0[0] - 0.5 * g0[0], x0[1] - 0.5 * g0[1]};
      assertArrayEquals(
          unrolledHypergradient(x1, steps), reports.get(1).hypergradient().values("x"), 1e-13);
    }
  }

  /** {@code M^T (M x - c)}, the exact hypergradient of the quadratic problem after T steps. */
  private static double[] unrolledHypergradient(double[] x, int steps) {
    double[][] b = {{1, 0.5}, {0, 1}};
    double[][] m = new double[2][2];
    for (int i = 0; i < 2; i++) {
      double reached = (1 - Math.pow(1 - LR * A[i], steps)) / A[i];
      for (int j = 0; j < 2; j++) {
        m[i][j] = reached * b[i][j];
      }
    }
    double[] residual = new double[2];
    for (int i = 0; i < 2; i++) {
      residual[i] = m[i][0] * x[0] + m[i][1] * x[1] - C[i];
    }
    return new double[] {
      m[0][0] * residual[0] + m[1][0] * residual[1], m[0][1] * residual[0] + m[1][1] * residual[1]
    };
  }

  /**
   * Momentum and Adam carry their state in y and the module evaluates F on the whole state; a
   * user's objectives still see only y, for a Bilevel and for a BilevelProblem given as such.
   */
  @ParameterizedTest
  @CsvSource({"momentum, true", "momentum, false", "adam, true", "adam, false"})
  void theObjectivesSeeTheBaseParametersOnly(String dynamics, boolean asBilevel) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Set<List<String>> seen = new HashSet<>();
      Bilevel recording = quadratic(manager, y -> seen.add(y.names()));
      Variables start =
          Variables.of(Map.of("x", owned(manager, new double[] {0.3, 0.4}, new Shape(2))));
      HyperparameterOptimizer.Builder builder =
          HyperparameterOptimizer.builder()
              .hyperparameters(start)
              .dynamics(REGISTRY.iteration(dynamics), Map.of("lr", Double.toString(LR)))
              .hypergradient(REVERSE)
              .innerSteps(3);
      if (asBilevel) {
        builder.problem(recording);
      } else {
        builder.problem(recording.in(manager));
      }
      try (HyperparameterOptimizer search = builder.build()) {
        search.run(2, report -> {});
      }
      assertEquals(Set.of(List.of("y")), seen);
    }
  }

  /**
   * A dynamics option that adds a hyperparameter: it is appended to the user's, at its initial
   * value; a name the user's hyperparameters already hold is refused, naming both.
   */
  @Test
  void dynamicsAppendTheirLearnedHyperparametersAndRefuseAClash() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables start =
          Variables.of(Map.of("x", owned(manager, new double[] {0.3, 0.4}, new Shape(2))));
      Map<String, String> options = Map.of("lr", Double.toString(LR), "learn-lr", "true");
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(quadratic(manager))
              .hyperparameters(start)
              .dynamics(REGISTRY.iteration("gd"), options)
              .hypergradient(REVERSE)
              .innerSteps(3)
              .build()) {
        assertEquals(List.of("x", "gd.log-lr"), search.hyperparameters().names());
        assertEquals(Math.log(LR), search.hyperparameters().get("gd.log-lr").getDouble(), 1e-15);
      }
      Variables clashing =
          start.merge(Variables.of(Map.of("gd.log-lr", D.constant(manager, -1, DataType.FLOAT64))));
      IllegalArgumentException clash =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  HyperparameterOptimizer.builder()
                      .problem(quadratic(manager))
                      .hyperparameters(clashing)
                      .dynamics(REGISTRY.iteration("gd"), options)
                      .hypergradient(REVERSE)
                      .build());
      assertTrue(
          clash.getMessage().contains("gd") && clash.getMessage().contains("'gd.log-lr'"),
          clash.getMessage());
    }
  }

  @Test
  void aLongerHorizonComesCloserToTheLowerLevelSolution() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables start =
          Variables.of(Map.of("x", owned(manager, new double[] {0, 0}, new Shape(2))));
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(quadratic(manager))
              .hyperparameters(start)
              .dynamics(REGISTRY.iteration("gd").create(Map.of("lr", Double.toString(LR))))
              .hypergradient(REVERSE)
              .innerSteps(150)
              .optimizer(OuterOptimizer.momentum(0.5), 0.5)
              .build()) {
        search.run(100, report -> {});
        assertArrayEquals(bestX(150), search.hyperparameters().get("x").toDoubleArray(), 1e-8);
        assertArrayEquals(
            new double[] {2, -2}, search.hyperparameters().get("x").toDoubleArray(), 1e-6);
      }
    }
  }

  @Test
  void aBilevelIsBoundToAManagerAndSeesTheStep() {
    try (NDManager manager = NDManager.newBaseManager()) {
      List<Integer> seen = new ArrayList<>();
      Bilevel definition =
          Bilevel.ofSteps(
              (step, x, y) -> {
                seen.add(step);
                return y.get("y").sum();
              },
              (x, y) -> y.get("y").sum(),
              x -> Variables.of(Map.of("y", x.get("x").neg())));
      BilevelProblem problem = definition.in(manager);
      assertSame(manager, problem.manager());
      Variables x = Variables.of(Map.of("x", owned(manager, new double[] {1, 2}, new Shape(2))));
      assertArrayEquals(new double[] {-1, -2}, problem.initialBase(x).get("y").toDoubleArray(), 0);
      problem.lowerObjective(3, x, problem.initialBase(x));
      assertEquals(List.of(3), seen);
    }
  }

  @Test
  void providersAreCheckedButNotTheProblem() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables start =
          Variables.of(Map.of("x", owned(manager, new double[] {0, 0}, new Shape(2))));
      HyperparameterOptimizer.Builder builder =
          HyperparameterOptimizer.builder()
              .problem(quadratic(manager))
              .hyperparameters(start)
              .innerSteps(3)
              .hypergradient(
                  new Requiring(
                      Set.of(Capabilities.GRADIENT_STEP, Capabilities.X_IN_LOWER_OBJECTIVE)),
                  Map.of());
      IncompatiblePluginsException error =
          assertThrows(
              IncompatiblePluginsException.class,
              () -> builder.dynamics(REGISTRY.iteration("momentum"), Map.of()).build());
      assertTrue(
          error.getMessage().contains("'requiring'")
              && error.getMessage().contains("'momentum'")
              && error.getMessage().contains("gradient-step")
              && !error.getMessage().contains("x-in-lower-objective")
              && error.getMessage().contains(": gd"),
          error.getMessage());
      try (HyperparameterOptimizer search =
          builder.dynamics(REGISTRY.iteration("gd"), Map.of()).build()) {
        search.run(1, report -> {});
      }
      assertThrows(IllegalStateException.class, () -> HyperparameterOptimizer.builder().build());
    }
  }

  /** A provider of {@link #REVERSE} with the given requirements. */
  private static final class Requiring implements HypergradientModuleProvider {
    private final Set<String> requirements;

    Requiring(Set<String> requirements) {
      this.requirements = requirements;
    }

    @Override
    public String name() {
      return "requiring";
    }

    @Override
    public String description() {
      return "test";
    }

    @Override
    public Set<String> requirements(Options options) {
      return requirements;
    }

    @Override
    public HypergradientModule create(Options options) {
      return REVERSE;
    }
  }
}
