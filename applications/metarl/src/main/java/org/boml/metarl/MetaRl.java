package org.boml.metarl;

import static org.boml.runtime.train.Ranges.atLeast;
import static org.boml.runtime.train.Ranges.positive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.boml.api.Capabilities;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescentProvider;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.runtime.train.Seeds;
import org.boml.runtime.train.Statistic;

/**
 * MAML for reinforcement learning (Finn et al. 2017, section 5.3) with the generic bilevel API:
 * every meta-iteration draws a meta-batch of environments from an {@link EnvironmentFamily}, lets a
 * hypergradient plugin ({@code rhg}: through the inner policy-gradient step; {@code fmaml}: first
 * order) compute {@code dF/dx} of each task's {@link PolicyGradientProblem} with {@code T} steps of
 * gradient descent ({@code gd}) as the inner loop, and applies Adam to the mean. The paper uses
 * TRPO for the outer step; Adam on the meta-policy gradient is the simpler choice here.
 *
 * <p>The comparison of the paper's Figure 4 comes from the same loop: a policy pretrained on all
 * goals jointly is the loop with {@code T = 0} (its "hypergradient" is the policy gradient of the
 * average return over tasks, with no adaptation), from the same random initialization, with the
 * same tasks and budget. {@link #evaluate} then adapts each policy to held-out tasks by plain
 * policy gradient steps and measures the average return after each.
 */
public final class MetaRl {
  /** The dynamics of the inner loop: plain gradient descent on the REINFORCE surrogate. */
  public static final String DYNAMICS = "gd";

  /**
   * What the problem supplies: meta-initialization, so the meta-parameters reach {@code y_0} and
   * every layer is adapted; they do not enter {@code f} otherwise.
   */
  static final Compatibility.ProblemKind PROBLEM =
      Compatibility.ProblemKind.declared(
          "MAML for reinforcement learning (meta-initialization of the policy)",
          Set.of(Capabilities.X_BEYOND_LOWER_OBJECTIVE, Capabilities.ADAPTED_FEATURES));

  private MetaRl() {}

  /**
   * What to run.
   *
   * @param hidden the widths of the policy's hidden layers
   * @param innerSteps the adaptation steps {@code T} during meta-training, {@code >= 1}
   * @param innerLearningRate the step size {@code alpha} of the adaptation
   * @param episodes the episodes per policy-gradient estimate
   * @param discount {@code gamma} of the returns-to-go
   * @param metaBatch the tasks per meta-iteration
   * @param iterations the meta-iterations (and the pretraining iterations)
   * @param outerLearningRate Adam's step size
   * @param method the hypergradient plugin's name
   * @param methodOptions its options
   * @param evaluationTasks the held-out tasks of the evaluation
   * @param evaluationSteps the adaptation steps of the evaluation
   * @param seed the seed of the initialization, the tasks and the episodes
   */
  public record Settings(
      List<Integer> hidden,
      int innerSteps,
      double innerLearningRate,
      int episodes,
      double discount,
      int metaBatch,
      int iterations,
      double outerLearningRate,
      String method,
      Map<String, String> methodOptions,
      int evaluationTasks,
      int evaluationSteps,
      long seed) {
    /** Checks the values, naming the command-line option of a bad one. */
    public Settings {
      hidden = List.copyOf(hidden);
      Objects.requireNonNull(method, "method");
      methodOptions = Map.copyOf(methodOptions);
      atLeast("--inner-steps", innerSteps, 1);
      positive("--inner-lr", innerLearningRate);
      atLeast("--episodes", episodes, 1);
      if (!(discount >= 0 && discount <= 1)) {
        throw new IllegalArgumentException("--discount must be in [0, 1], got " + discount);
      }
      atLeast("--meta-batch", metaBatch, 1);
      atLeast("--iterations", iterations, 0);
      positive("--outer-lr", outerLearningRate);
      atLeast("--eval-tasks", evaluationTasks, 2);
      atLeast("--eval-steps", evaluationSteps, 1);
    }

    Map<String, String> dynamicsOptions() {
      return Map.of(GradientDescentProvider.LEARNING_RATE, Double.toString(innerLearningRate));
    }
  }

  /**
   * What one training iteration measured.
   *
   * @param policy {@code maml} or {@code pretrained}
   * @param iteration the iteration just finished, 1-based
   * @param iterations the total planned
   * @param returnBefore the mean over the meta-batch of the average return before adaptation
   * @param returnAfter the same after the {@code T} adaptation steps (equal to {@code returnBefore}
   *     for pretraining, {@code T = 0})
   * @param surrogate the mean upper-level surrogate {@code F}
   * @param gradientNorm the norm of the mean (hyper)gradient
   * @param seconds the wall-clock seconds since this policy's training started
   */
  public record Report(
      String policy,
      int iteration,
      int iterations,
      double returnBefore,
      double returnAfter,
      double surrogate,
      double gradientNorm,
      double seconds) {}

  /**
   * Refuses, before any work, a hypergradient plugin that cannot work with the {@value #DYNAMICS}
   * dynamics on this problem.
   *
   * @param settings what to run
   * @param plugins where the plugins come from
   * @throws org.boml.runtime.plugin.IncompatiblePluginsException naming both plugins and why
   */
  public static void requireCompatible(Settings settings, PluginRegistry plugins) {
    new Compatibility(
            plugins.hypergradient(settings.method()),
            settings.methodOptions(),
            plugins.iteration(DYNAMICS),
            settings.dynamicsOptions(),
            settings.innerSteps(),
            PROBLEM,
            plugins.iterations())
        .require();
  }

  /**
   * A policy for the family's environments.
   *
   * @param family the family
   * @param hidden the hidden widths
   * @return the policy
   */
  public static GaussianMlpPolicy policyFor(EnvironmentFamily family, List<Integer> hidden) {
    Environment any = family.task(0);
    return new GaussianMlpPolicy(any.observationSize(), hidden, any.actionSize());
  }

  /**
   * Trains a policy from an initialization, in place.
   *
   * @param name the policy's name in the reports
   * @param x the parameters, updated in place (in a manager of their own)
   * @param family the tasks
   * @param policy the policy's architecture
   * @param settings the episodes, meta-batch, iterations and learning rates
   * @param innerSteps {@code T}: {@code settings.innerSteps()} for MAML, 0 for joint pretraining
   * @param method the hypergradient
   * @param dynamics the inner loop
   * @param listener told after every iteration
   */
  public static void train(
      String name,
      Variables x,
      EnvironmentFamily family,
      GaussianMlpPolicy policy,
      Settings settings,
      int innerSteps,
      HypergradientModule method,
      IterationModule dynamics,
      Consumer<Report> listener) {
    ComputeEngine engine = ComputeEngines.get();
    engine.prepareThread();
    Differentiator d = engine.differentiator();
    OuterOptimizer adam = OuterOptimizer.adam();
    NDManager root = x.values().get(0).getManager();
    long start = System.nanoTime();
    for (int iteration = 1; iteration <= settings.iterations(); iteration++) {
      try (NDScope scope = new NDScope();
          NDManager step = root.newSubManager()) {
        scope.suppressNotUsedWarning();
        Variables leaves = leaves(x, step);
        List<NDArray> sum = null;
        double before = 0;
        double after = 0;
        double surrogate = 0;
        for (int task = 0; task < settings.metaBatch(); task++) {
          long seed = Seeds.task(settings.seed(), iteration, task);
          PolicyGradientProblem problem =
              new PolicyGradientProblem(
                  family.task(seed), policy, settings.episodes(), settings.discount(), step, seed);
          Hypergradient h = method.compute(problem, dynamics, leaves, innerSteps, d);
          sum = sum == null ? h.gradient().values() : add(sum, h.gradient().values());
          surrogate += h.upperObjective();
          after += problem.upperReturn();
          before += innerSteps == 0 ? problem.upperReturn() : problem.lowerReturn(0);
        }
        NDArray count =
            Arrays64.engineOwned(
                step,
                new double[] {settings.metaBatch()},
                new Shape(),
                x.values().get(0).getDataType());
        Variables mean = x.withValues(sum.stream().map(g -> g.div(count)).toList());
        double norm = Math.sqrt(mean.dot(mean));
        if (!Double.isFinite(norm) || !Double.isFinite(surrogate)) {
          throw new IllegalStateException(
              name
                  + " iteration "
                  + iteration
                  + ": the gradient is not finite; try a smaller --outer-lr or --inner-lr");
        }
        adam.step(x, mean, settings.outerLearningRate());
        int tasks = settings.metaBatch();
        listener.accept(
            new Report(
                name,
                iteration,
                settings.iterations(),
                before / tasks,
                after / tasks,
                surrogate / tasks,
                norm,
                (System.nanoTime() - start) / 1e9));
      }
    }
  }

  /**
   * Adapts a policy to held-out tasks and measures the average return after each adaptation step.
   *
   * @param x the policy's initial parameters
   * @param family the tasks
   * @param policy the policy's architecture
   * @param settings the episodes, evaluation tasks and steps, inner learning rate and seed
   * @param dynamics the adaptation ({@code gd} with the inner learning rate)
   * @return for {@code k = 0 .. evaluationSteps}, the average return after {@code k} steps over the
   *     held-out tasks, with its 95% confidence interval
   */
  public static List<Statistic> evaluate(
      Variables x,
      EnvironmentFamily family,
      GaussianMlpPolicy policy,
      Settings settings,
      IterationModule dynamics) {
    ComputeEngine engine = ComputeEngines.get();
    engine.prepareThread();
    Differentiator d = engine.differentiator();
    int steps = settings.evaluationSteps();
    double[][] returns = new double[steps + 1][settings.evaluationTasks()];
    NDManager root = x.values().get(0).getManager();
    for (int task = 0; task < settings.evaluationTasks(); task++) {
      try (NDScope scope = new NDScope();
          NDManager step = root.newSubManager()) {
        scope.suppressNotUsedWarning();
        // iteration 0 is never a training iteration: the held-out tasks are new ones
        long seed = Seeds.task(settings.seed(), 0, task);
        PolicyGradientProblem problem =
            new PolicyGradientProblem(
                family.task(seed), policy, settings.episodes(), settings.discount(), step, seed);
        Variables leaves = leaves(x, step);
        Variables y = dynamics.initialize(leaves, problem, d);
        for (int t = 0; t < steps; t++) {
          y = dynamics.step(t, leaves, y, problem, d, false);
          returns[t][task] = problem.lowerReturn(t);
        }
        problem.upperObjective(leaves, y);
        returns[steps][task] = problem.upperReturn();
      }
    }
    List<Statistic> statistics = new ArrayList<>();
    for (double[] values : returns) {
      statistics.add(Statistic.of(values));
    }
    return statistics;
  }

  /**
   * Everything {@code boml rl} does: MAML, joint pretraining and the evaluation of both and of the
   * random initialization, in float32.
   *
   * @param family the tasks
   * @param settings what to run
   * @param plugins where the dynamics and the hypergradient come from
   * @param listener told after every training iteration
   * @param trained given each trained policy's name and parameters (valid only during the call),
   *     e.g. to save them
   * @return the result
   */
  public static RlResult run(
      EnvironmentFamily family,
      Settings settings,
      PluginRegistry plugins,
      Consumer<Report> listener,
      BiConsumer<String, Variables> trained) {
    requireCompatible(settings, plugins);
    IterationModule dynamics = plugins.iteration(DYNAMICS).create(settings.dynamicsOptions());
    HypergradientModule method =
        plugins.hypergradient(settings.method()).create(settings.methodOptions());
    GaussianMlpPolicy policy = policyFor(family, settings.hidden());
    ComputeEngine engine = ComputeEngines.get();
    try (NDManager manager = NDManager.newBaseManager(engine.defaultDevice(), engine.name())) {
      Variables random = policy.initialize(manager, DataType.FLOAT32, settings.seed());
      Map<String, Variables> policies = new LinkedHashMap<>();
      Map<String, Double> seconds = new LinkedHashMap<>();
      for (String name : List.of(RlResult.MAML, RlResult.PRETRAINED)) {
        NDManager own = manager.newSubManager();
        Variables x = random.map(value -> copyInto(value, own));
        long start = System.nanoTime();
        int steps = name.equals(RlResult.MAML) ? settings.innerSteps() : 0;
        train(name, x, family, policy, settings, steps, method, dynamics, listener);
        seconds.put(name, (System.nanoTime() - start) / 1e9);
        trained.accept(name, x);
        policies.put(name, x);
      }
      policies.put(RlResult.RANDOM, random);
      Map<String, List<Statistic>> evaluation = new LinkedHashMap<>();
      policies.forEach(
          (name, x) -> evaluation.put(name, evaluate(x, family, policy, settings, dynamics)));
      return new RlResult(seconds, evaluation);
    }
  }

  private static NDArray copyInto(NDArray value, NDManager owner) {
    NDArray copy = value.duplicate();
    copy.attach(owner);
    return copy;
  }

  /** Private leaves that require a gradient, with the values of {@code x}, in a manager. */
  private static Variables leaves(Variables x, NDManager owner) {
    return x.map(
        value -> {
          NDArray leaf = copyInto(value, owner);
          leaf.setRequiresGradient(true);
          return leaf;
        });
  }

  private static List<NDArray> add(List<NDArray> a, List<NDArray> b) {
    List<NDArray> sum = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      sum.add(a.get(i).add(b.get(i)));
    }
    return sum;
  }
}
