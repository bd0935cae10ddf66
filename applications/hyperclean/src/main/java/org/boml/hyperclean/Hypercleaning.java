package org.boml.hyperclean;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.boml.api.Capabilities;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.plugins.basicdynamics.GradientDescentProvider;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.runtime.train.Ranges;

/**
 * Runs data hyper-cleaning: learns the per-example weight logits of a {@link HypercleanProblem}
 * with {@link HyperparameterOptimizer} (lower level: {@code T} steps of gradient descent, {@code
 * gd}; hypergradient: any plugin that handles many hyperparameters; outer optimizer: Adam), then
 * trains the model with the learned weights and compares it with the unweighted baseline and the
 * oracle.
 *
 * <p>The defaults are those of the peer implementation (hypertorch's {@code --problem hyperclean}):
 * inner learning rate 0.1, Adam with learning rate 0.1 on {@code lambda}, {@code lambda_0 = 0}.
 */
public final class Hypercleaning {
  /** The dynamics of the lower level. */
  public static final String DYNAMICS = "gd";

  /**
   * Methods that propagate one tangent per hyperparameter (forward mode), hopeless with one
   * hyperparameter per training example.
   */
  static final Set<String> FORWARD_MODE = Set.of("fhg");

  /**
   * What the problem supplies: the weight logits enter the lower-level objective only (neither
   * {@code F} nor {@code y_0}), so a method that holds {@code grad_y f} constant ({@code fmaml})
   * would give them an all-zero hypergradient and is refused.
   */
  static final Compatibility.ProblemKind PROBLEM =
      Compatibility.ProblemKind.declared(
          "data hyper-cleaning (the example weights enter only the training loss f)",
          Set.of(Capabilities.X_IN_LOWER_OBJECTIVE));

  private Hypercleaning() {}

  /**
   * What to run.
   *
   * @param steps the lower-level steps {@code T}
   * @param innerLearningRate the step size of gradient descent
   * @param method the hypergradient plugin's name
   * @param methodOptions its options
   * @param iterations the outer iterations
   * @param outerLearningRate Adam's step size on {@code lambda}
   */
  public record Settings(
      int steps,
      double innerLearningRate,
      String method,
      Map<String, String> methodOptions,
      int iterations,
      double outerLearningRate) {
    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(method, "method");
      methodOptions = Map.copyOf(methodOptions);
      Ranges.atLeast("--steps", steps, 1);
      Ranges.atLeast("--iterations", iterations, 0);
      Ranges.positive("--inner-lr", innerLearningRate);
      if (FORWARD_MODE.contains(method)) {
        throw new IllegalArgumentException(
            method
                + " propagates one tangent per hyperparameter and hyper-cleaning has one per"
                + " training example; use a reverse-mode or implicit method: rhg, trhg or hoag");
      }
    }
  }

  /**
   * Refuses, before any data is read, a hypergradient plugin that cannot work on hyper-cleaning
   * with its {@value #DYNAMICS} dynamics.
   *
   * @param settings what to run
   * @param plugins where the dynamics and the hypergradient come from
   * @throws org.boml.runtime.plugin.IncompatiblePluginsException naming both plugins and why
   */
  public static void requireCompatible(Settings settings, PluginRegistry plugins) {
    new Compatibility(
            plugins.hypergradient(settings.method()),
            settings.methodOptions(),
            plugins.iteration(DYNAMICS),
            dynamicsOptions(settings),
            settings.steps(),
            PROBLEM,
            plugins.iterations())
        .require();
  }

  private static Map<String, String> dynamicsOptions(Settings settings) {
    return Map.of(
        GradientDescentProvider.LEARNING_RATE, Double.toString(settings.innerLearningRate()));
  }

  /**
   * Runs the outer loop in float32 on the engine's default device and measures the result.
   *
   * @param data the data
   * @param settings what to run
   * @param plugins where the dynamics and the hypergradient come from
   * @param listener told after every outer iteration
   * @return the measurements
   */
  public static HypercleanResult run(
      HypercleanData data,
      Settings settings,
      PluginRegistry plugins,
      Consumer<IterationReport> listener) {
    ComputeEngine engine = ComputeEngines.get();
    try (NDManager manager = NDManager.newBaseManager(engine.defaultDevice(), engine.name());
        HypercleanProblem problem = HypercleanProblem.of(data, manager, DataType.FLOAT32)) {
      return run(problem, data.corrupted(), settings, plugins, listener);
    }
  }

  /**
   * Runs the outer loop and measures the result.
   *
   * @param problem the problem
   * @param corrupted which training examples are corrupted (only for the detector's scores and the
   *     oracle)
   * @param settings what to run
   * @param plugins where the dynamics and the hypergradient come from
   * @param listener told after every outer iteration
   * @return the measurements
   */
  public static HypercleanResult run(
      HypercleanProblem problem,
      boolean[] corrupted,
      Settings settings,
      PluginRegistry plugins,
      Consumer<IterationReport> listener) {
    if (corrupted.length != problem.trainCount()) {
      throw new IllegalArgumentException(
          corrupted.length + " corruption flags for " + problem.trainCount() + " examples");
    }
    IterationModuleProvider gd = plugins.iteration(DYNAMICS);
    Map<String, String> dynamicsOptions = dynamicsOptions(settings);
    HypergradientModuleProvider method = plugins.hypergradient(settings.method());
    IterationModule dynamics = gd.create(dynamicsOptions);
    ComputeEngine engine = ComputeEngines.get();
    Differentiator d = engine.differentiator();
    int steps = settings.steps();
    try (NDManager scratch = problem.manager().newSubManager();
        HyperparameterOptimizer search =
            HyperparameterOptimizer.builder()
                .problem(problem.bilevel())
                .problemKind(PROBLEM)
                .hyperparameters(problem.zeroLogits(scratch))
                .dynamics(gd, dynamicsOptions)
                .hypergradient(method, settings.methodOptions())
                .plugins(plugins)
                .innerSteps(steps)
                .optimizer(OuterOptimizer.adam(), settings.outerLearningRate())
                .device(problem.manager().getDevice())
                .build()) {
      HypercleanProblem.Fit initial =
          problem.fit(problem.bilevel(), problem.zeroLogits(scratch), dynamics, steps, d);
      double residentBefore = engine.residentMemoryMiB();
      long start = System.nanoTime();
      search.run(settings.iterations(), listener);
      double seconds = (System.nanoTime() - start) / 1e9;
      double peakResident = engine.peakMemoryMiB();
      NDArray logits = search.hyperparameters().get(HypercleanProblem.LOGITS);
      HypercleanProblem.Fit cleaned =
          problem.fit(problem.bilevel(), search.hyperparameters(), dynamics, steps, d);
      double[] lambda = logits.toType(DataType.FLOAT64, false).toDoubleArray();

      float[] ones = new float[lambda.length];
      Arrays.fill(ones, 1f);
      float[] clean = new float[lambda.length];
      boolean[] flags = new boolean[lambda.length];
      double cleanWeights = 0;
      double corruptedWeights = 0;
      int corruptedCount = 0;
      for (int i = 0; i < lambda.length; i++) {
        clean[i] = corrupted[i] ? 0f : 1f;
        flags[i] = lambda[i] < 0; // sigmoid(lambda) < 1/2
        double weight = 1 / (1 + Math.exp(-lambda[i]));
        if (corrupted[i]) {
          corruptedWeights += weight;
          corruptedCount++;
        } else {
          cleanWeights += weight;
        }
      }
      HypercleanProblem.Fit baseline =
          problem.fit(
              problem.withFixedWeights(), problem.fixedWeights(scratch, ones), dynamics, steps, d);
      HypercleanProblem.Fit oracle =
          problem.fit(
              problem.withFixedWeights(), problem.fixedWeights(scratch, clean), dynamics, steps, d);
      int cleanCount = lambda.length - corruptedCount;
      return new HypercleanResult(
          search.completedIterations(),
          seconds,
          residentBefore,
          peakResident,
          cleaned.validationLoss(),
          cleaned.testAccuracy(),
          baseline.testAccuracy(),
          initial.testAccuracy(),
          oracle.testAccuracy(),
          Detection.of(flags, corrupted),
          Detection.chanceF1((double) corruptedCount / lambda.length),
          cleanCount == 0 ? Double.NaN : cleanWeights / cleanCount,
          corruptedCount == 0 ? Double.NaN : corruptedWeights / corruptedCount);
    }
  }
}
