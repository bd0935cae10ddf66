package org.boml.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.problem.BaseParametersOnly;
import org.boml.runtime.problem.Bilevel;

/**
 * Hyperparameter optimization: the outer loop of a bilevel problem on one problem rather than over
 * the tasks of a dataset. Every iteration runs the lower level from {@code y_0 = Psi_0(x)} for
 * {@code T} steps, computes the hypergradient {@code dF(x, y_T(x))/dx} with a hypergradient module
 * and applies the outer optimizer to {@code x}:
 *
 * <pre>{@code
 * try (HyperparameterOptimizer search = HyperparameterOptimizer.builder()
 *     .problem(Bilevel.of(lower, upper, initial))
 *     .hyperparameters(Variables.of(Map.of("log_decay", logDecay)))
 *     .dynamics(plugins.iteration("gd"), Map.of("lr", "0.1"))
 *     .hypergradient(plugins.hypergradient("fhg"), Map.of())
 *     .innerSteps(100)
 *     .optimizer(OuterOptimizer.adam(), 0.05)
 *     .build()) {
 *   search.run(200, report -> { });
 *   Variables best = search.hyperparameters();
 * }
 * }</pre>
 *
 * <p>Memory stays flat: each iteration binds the problem to a fresh manager ({@link
 * Bilevel#in(NDManager)}) and closes, when it ends, every array created during it (an {@link
 * NDScope}) except the optimizer's state; so the problem's functions must not keep arrays they
 * create between calls. A {@link BilevelProblem} given as such keeps its own manager. When both
 * modules come from providers, {@link Builder#build()} refuses a combination the plugins declare
 * impossible ({@link Compatibility}); requirements on the problem ({@link
 * org.boml.api.Capabilities#OF_PROBLEM}) are checked only when the user declares what the problem
 * supplies ({@link Builder#problemKind}), since only the user knows how {@code x} enters it.
 *
 * <p>Dynamics from a provider may add meta-parameters of their own ({@link
 * IterationModuleProvider#modelExtension(Options, int)}), e.g. {@code gd} with {@code
 * learn-lr=true} adds {@code gd.log-lr}, {@code bda} with {@code learn-alpha=true} adds {@code
 * bda.alpha}: they are appended to the user's hyperparameters, initialized by the provider (with
 * {@link Builder#seed(long)} for random values), learned with them, and reported in {@link
 * #hyperparameters()} and the hypergradient. The extension is asked for its parameters with a model
 * that lists the problem's base parameters {@code y_0} (names and shapes) and no layers, since a
 * problem of one's own has no model ({@link AddedHyperparameters}); the extension's layer hook is
 * never called, so extensions that need the model's layers (MT-net, WarpGrad) refuse with their own
 * message. Not thread-safe; close it to free native memory.
 */
public final class HyperparameterOptimizer implements AutoCloseable {
  private final Function<NDManager, BilevelProblem> problems;
  private final Method method;
  private final TrainingConfig config;
  private final OuterOptimizer optimizer;
  private final ComputeEngine engine = ComputeEngines.get();
  private final Differentiator differentiator = engine.differentiator();
  private final NDManager root;
  private final Variables hyperparameters;
  private final long startNanos = System.nanoTime();
  private int completed;

  private HyperparameterOptimizer(Builder builder, Method method) {
    engine.prepareThread();
    this.problems = builder.problems;
    this.method = method;
    this.config = builder.config;
    this.optimizer = builder.optimizer;
    this.root =
        NDManager.newBaseManager(builder.device != null ? builder.device : engine.defaultDevice());
    Variables given =
        builder.initial.map(
            value -> {
              NDArray copy = value.toDevice(root.getDevice(), true).duplicate();
              copy.attach(root);
              return copy;
            });
    this.hyperparameters =
        method
            .dynamicsExtension()
            .map(
                extension ->
                    given.merge(
                        AddedHyperparameters.of(
                            extension,
                            method.dynamicsIdentity().name(),
                            problems,
                            given,
                            root,
                            config.seed())))
            .orElse(given);
  }

  /**
   * A builder: the problem, the hyperparameters, the dynamics and the hypergradient are required;
   * by default 1 inner step and SGD with learning rate 0.1.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The current hyperparameters {@code x}; updated in place by every iteration.
   *
   * @return the hyperparameters
   */
  public Variables hyperparameters() {
    return hyperparameters;
  }

  /**
   * The number of iterations done.
   *
   * @return the count
   */
  public int completedIterations() {
    return completed;
  }

  /**
   * Runs outer iterations.
   *
   * @param iterations how many more to run
   * @param listener told after each one
   * @throws TrainingDivergedException if the objective or the hypergradient is not finite; the
   *     hyperparameters keep the values of the last good iteration
   */
  public void run(int iterations, Consumer<IterationReport> listener) {
    int target = completed + iterations;
    while (completed < target) {
      listener.accept(step(target));
    }
  }

  /**
   * Runs one outer iteration.
   *
   * @param plannedIterations the total planned, for the report
   * @return the upper objective {@code F(x, y_T)} before the update, the hypergradient {@code
   *     dF/dx} at the hyperparameters before the update (a plain copy, {@link
   *     IterationReport#hypergradient()}) and its norm
   */
  public IterationReport step(int plannedIterations) {
    try (NDScope scope = new NDScope();
        NDManager iteration = root.newSubManager()) {
      engine.prepareThread();
      Variables x =
          hyperparameters.map(
              value -> {
                NDArray leaf = value.duplicate();
                leaf.attach(iteration);
                leaf.setRequiresGradient(true);
                return leaf;
              });
      int steps = config.innerSteps();
      Hypergradient result =
          method
              .hypergradient()
              .compute(problems.apply(iteration), method.dynamics(), x, steps, differentiator);
      result.gradient().requireSameNames(hyperparameters);
      double norm = MetaBatchMean.norm(result.gradient());
      if (!Double.isFinite(result.upperObjective()) || !Double.isFinite(norm)) {
        throw new TrainingDivergedException(
            String.format(
                Locale.ROOT,
                "iteration %d: the upper-level objective is %s and the hypergradient norm %s; the hyperparameters"
                    + " keep their values from iteration %d. Try a smaller outer or inner learning rate.",
                completed + 1,
                result.upperObjective(),
                norm,
                completed));
      }
      PlainVariables hypergradient = PlainVariables.of(result.gradient());
      double learningRate = config.learningRate().at(completed);
      optimizer.step(hyperparameters, result.gradient(), learningRate);
      completed++;
      return new IterationReport(
          completed,
          plannedIterations,
          result.upperObjective(),
          Double.NaN,
          norm,
          learningRate,
          (System.nanoTime() - startNanos) / 1e9,
          null,
          hypergradient);
    }
  }

  @Override
  public void close() {
    root.close();
  }

  /**
   * Configures a {@link HyperparameterOptimizer}; the settings it shares with the meta-training
   * loop's builder are those of {@link OuterLoopBuilder}.
   */
  public static final class Builder extends OuterLoopBuilder<Builder> {
    private Function<NDManager, BilevelProblem> problems;
    private Variables initial;
    private Compatibility.ProblemKind problemKind;

    private Builder() {
      super(
          TrainingConfig.DEFAULTS.with(
              draft -> draft.learningRate = LearningRateSchedule.constant(0.1)),
          OuterOptimizer.sgd());
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * The problem, bound to a fresh manager in every iteration (required, or the overload).
     *
     * @param problem the definition
     * @return this builder
     */
    public Builder problem(Bilevel problem) {
      Objects.requireNonNull(problem, "problem");
      this.problems = problem::in;
      return this;
    }

    /**
     * A problem with its own manager, used in every iteration; whatever the dynamics attach to that
     * manager stays until it is closed (prefer {@link #problem(Bilevel)}). Its objectives receive
     * the base parameters only ({@link BaseParametersOnly}).
     *
     * @param problem the problem
     * @return this builder
     */
    public Builder problem(BilevelProblem problem) {
      BilevelProblem baseOnly = BaseParametersOnly.of(Objects.requireNonNull(problem, "problem"));
      this.problems = manager -> baseOnly;
      return this;
    }

    /**
     * The initial hyperparameters {@code x} (required); copied, so the caller keeps its arrays.
     *
     * @param values the starting values, of a floating-point type
     * @return this builder
     */
    public Builder hyperparameters(Variables values) {
      if (Objects.requireNonNull(values, "initial").size() == 0) {
        throw new IllegalArgumentException("there must be at least one hyperparameter");
      }
      this.initial = values;
      return this;
    }

    /**
     * The lower-level dynamics.
     *
     * @param dynamics the module
     * @return this builder
     */
    public Builder dynamics(IterationModule dynamics) {
      parts.dynamics(null, dynamics);
      method = null;
      return this;
    }

    /**
     * The hypergradient computation.
     *
     * @param hypergradient the module
     * @return this builder
     */
    public Builder hypergradient(HypergradientModule hypergradient) {
      parts.hypergradient(null, hypergradient);
      method = null;
      return this;
    }

    /**
     * What the problem supplies, so that {@link #build()} also checks the hypergradient's
     * requirements on the problem (by default it does not: only the user knows how {@code x} enters
     * it). For hyperparameters of the lower-level objective alone, e.g. {@code
     * ProblemKind.declared("ridge regression", Set.of(Capabilities.X_IN_LOWER_OBJECTIVE))}, which
     * refuses {@code fmaml}, whose hypergradient would be exactly zero.
     *
     * @param kind the {@link org.boml.api.Capabilities#OF_PROBLEM} words the problem supplies
     * @return this builder
     */
    public Builder problemKind(Compatibility.ProblemKind kind) {
      this.problemKind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * Builds the optimizer.
     *
     * @return the optimizer
     * @throws IllegalStateException if a required part is missing
     * @throws org.boml.runtime.plugin.IncompatiblePluginsException if the hypergradient and the
     *     dynamics, given by their providers, cannot work together
     */
    public HyperparameterOptimizer build() {
      require(problems, "problem");
      require(initial, "hyperparameters");
      return new HyperparameterOptimizer(
          this, resolveMethod("HyperparameterOptimizer", problemKind));
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new IllegalStateException(
            "HyperparameterOptimizer needs " + what + "; call builder()." + what + "(...)");
      }
    }
  }
}
