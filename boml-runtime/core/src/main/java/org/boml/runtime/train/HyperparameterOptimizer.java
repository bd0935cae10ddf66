package org.boml.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.plugin.PluginRegistry;
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
 * problem of one's own has no model: added parameters the lower level would adapt, and names the
 * given hyperparameters already hold, are refused; the extension's layer hook is never called, so
 * extensions that need the model's layers (MT-net, WarpGrad) refuse with their own message. Not
 * thread-safe; close it to free native memory.
 */
public final class HyperparameterOptimizer implements AutoCloseable {
  private final Function<NDManager, BilevelProblem> problems;
  private final IterationModule dynamics;
  private final HypergradientModule hypergradient;
  private final int steps;
  private final OuterOptimizer optimizer;
  private final double learningRate;
  private final ComputeEngine engine = ComputeEngines.get();
  private final Differentiator differentiator = engine.differentiator();
  private final NDManager root;
  private final Variables hyperparameters;
  private final long startNanos = System.nanoTime();
  private int completed;

  private HyperparameterOptimizer(
      Builder builder, IterationModule dynamics, HypergradientModule hypergradient) {
    engine.enableGradients();
    this.problems = builder.problems;
    this.dynamics = dynamics;
    this.hypergradient = hypergradient;
    this.steps = builder.steps;
    this.optimizer = builder.optimizer;
    this.learningRate = builder.learningRate;
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
        builder.extension == null ? given : given.merge(added(builder, given, root));
  }

  /** The parameters the dynamics' extension adds to the user's hyperparameters. */
  private static Variables added(Builder builder, Variables given, NDManager root) {
    ModelExtension extension = builder.extension;
    List<ParameterSpec> specs;
    try (NDManager scratch = root.newSubManager()) {
      Variables base = builder.problems.apply(scratch).initialBase(given);
      List<ParameterSpec> baseSpecs = new ArrayList<>();
      base.asMap()
          .forEach(
              (name, value) ->
                  baseSpecs.add(new ParameterSpec(name, value.getShape(), ParameterSpec.HEAD)));
      specs =
          List.copyOf(extension.parameters(new BaseParameters(baseSpecs), base.asMap().keySet()));
    }
    for (ParameterSpec spec : specs) {
      if (given.contains(spec.name())) {
        throw new IllegalArgumentException(
            "the dynamics "
                + builder.dynamicsProvider.name()
                + " add the hyperparameter '"
                + spec.name()
                + "', which the given hyperparameters already hold; rename yours or drop the"
                + " dynamics option that adds it");
      }
      if (extension.adapted(spec)) {
        throw new IllegalArgumentException(
            "the dynamics "
                + builder.dynamicsProvider.name()
                + " add '"
                + spec.name()
                + "' to the lower-level state, which HyperparameterOptimizer cannot do for a"
                + " problem of one's own; use them with MetaLearner");
      }
    }
    DataType type = given.values().get(0).getDataType();
    return extension.initialize(specs, root, type, builder.seed);
  }

  /**
   * The problem's base parameters as a model for {@link ModelExtension#parameters}: their names and
   * shapes, no layers, no forward pass.
   */
  private record BaseParameters(List<ParameterSpec> parameterSpecs) implements Model {
    @Override
    public Variables initialize(NDManager manager, DataType dataType, long seed) {
      throw new UnsupportedOperationException("a problem of one's own has no model to initialize");
    }

    @Override
    public NDArray forward(Variables params, NDArray input, boolean training) {
      throw new UnsupportedOperationException(
          "HyperparameterOptimizer has no model; an extension that needs the model's forward pass"
              + " works with MetaLearner only");
    }
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
      engine.enableGradients();
      Variables x =
          hyperparameters.map(
              value -> {
                NDArray leaf = value.duplicate();
                leaf.attach(iteration);
                leaf.setRequiresGradient(true);
                return leaf;
              });
      Hypergradient result =
          hypergradient.compute(problems.apply(iteration), dynamics, x, steps, differentiator);
      result.gradient().requireSameNames(hyperparameters);
      double norm = 0;
      for (NDArray g : result.gradient().values()) {
        norm += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
      }
      norm = Math.sqrt(norm);
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

  /** Configures a {@link HyperparameterOptimizer}. */
  public static final class Builder {
    private Function<NDManager, BilevelProblem> problems;
    private Variables initial;
    private IterationModule dynamics;
    private IterationModuleProvider dynamicsProvider;
    private Map<String, String> dynamicsOptions = Map.of();
    private HypergradientModule hypergradient;
    private HypergradientModuleProvider hypergradientProvider;
    private Map<String, String> hypergradientOptions = Map.of();
    private PluginRegistry registry;
    private Compatibility.ProblemKind problemKind;
    private int steps = 1;
    private OuterOptimizer optimizer = OuterOptimizer.sgd();
    private double learningRate = 0.1;
    private Device device;
    private long seed;
    private ModelExtension extension;

    private Builder() {}

    /**
     * The seed of the random initial values of hyperparameters that the dynamics add (e.g.
     * Meta-SGD's step sizes with {@code init=uniform}); 0 by default.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
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
     * @param initial the starting values, of a floating-point type
     * @return this builder
     */
    public Builder hyperparameters(Variables initial) {
      if (Objects.requireNonNull(initial, "initial").size() == 0) {
        throw new IllegalArgumentException("there must be at least one hyperparameter");
      }
      this.initial = initial;
      return this;
    }

    /**
     * The lower-level dynamics.
     *
     * @param dynamics the module
     * @return this builder
     */
    public Builder dynamics(IterationModule dynamics) {
      this.dynamics = Objects.requireNonNull(dynamics, "dynamics");
      this.dynamicsProvider = null;
      return this;
    }

    /**
     * The lower-level dynamics from a provider, created by {@link #build()}.
     *
     * @param provider the provider
     * @param options its options
     * @return this builder
     */
    public Builder dynamics(IterationModuleProvider provider, Map<String, String> options) {
      this.dynamicsProvider = Objects.requireNonNull(provider, "provider");
      this.dynamicsOptions = Map.copyOf(options);
      this.dynamics = null;
      return this;
    }

    /**
     * The hypergradient computation.
     *
     * @param hypergradient the module
     * @return this builder
     */
    public Builder hypergradient(HypergradientModule hypergradient) {
      this.hypergradient = Objects.requireNonNull(hypergradient, "hypergradient");
      this.hypergradientProvider = null;
      return this;
    }

    /**
     * The hypergradient computation from a provider, created by {@link #build()}, which first
     * checks it against the dynamics when they come from a provider too.
     *
     * @param provider the provider
     * @param options its options
     * @return this builder
     */
    public Builder hypergradient(
        HypergradientModuleProvider provider, Map<String, String> options) {
      this.hypergradientProvider = Objects.requireNonNull(provider, "provider");
      this.hypergradientOptions = Map.copyOf(options);
      this.hypergradient = null;
      return this;
    }

    /**
     * Where the dynamics suggested by a refused combination come from; by default the providers on
     * the module path.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder plugins(PluginRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
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
     * The number of lower-level steps {@code T}.
     *
     * @param steps {@code T >= 0}
     * @return this builder
     */
    public Builder innerSteps(int steps) {
      if (steps < 0) {
        throw new IllegalArgumentException("inner steps must be >= 0, got " + steps);
      }
      this.steps = steps;
      return this;
    }

    /**
     * The outer optimizer and its learning rate.
     *
     * @param optimizer the optimizer
     * @param learningRate a positive step size
     * @return this builder
     */
    public Builder optimizer(OuterOptimizer optimizer, double learningRate) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw new IllegalArgumentException(
            "outer learning rate must be a positive number, got " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    /**
     * The device of the hyperparameters; by default a GPU where the engine has one, else the CPU.
     *
     * @param device the device
     * @return this builder
     */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
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
      require(dynamics != null ? dynamics : dynamicsProvider, "dynamics");
      require(hypergradient != null ? hypergradient : hypergradientProvider, "hypergradient");
      Map<String, String> methodOptions = new LinkedHashMap<>(hypergradientOptions);
      if (hypergradientProvider != null && dynamicsProvider != null) {
        Compatibility check =
            new Compatibility(
                hypergradientProvider,
                methodOptions,
                dynamicsProvider,
                dynamicsOptions,
                steps,
                problemKind,
                List.of());
        if (!check.reasons().isEmpty()) {
          PluginRegistry plugins = registry != null ? registry : PluginRegistry.discover(List.of());
          new Compatibility(
                  hypergradientProvider,
                  methodOptions,
                  dynamicsProvider,
                  dynamicsOptions,
                  steps,
                  problemKind,
                  plugins.iterations())
              .require();
        }
        methodOptions = check.resolvedMethodOptions();
      }
      IterationModule lower =
          dynamics != null
              ? dynamics
              : PluginIdentity.created(
                  dynamicsProvider, "create", dynamicsProvider.create(dynamicsOptions));
      extension =
          dynamicsProvider == null
              ? null
              : dynamicsProvider
                  .modelExtension(Options.forProvider(dynamicsOptions, dynamicsProvider), steps)
                  .orElse(null);
      HypergradientModule method =
          hypergradient != null
              ? hypergradient
              : PluginIdentity.created(
                  hypergradientProvider, "create", hypergradientProvider.create(methodOptions));
      return new HyperparameterOptimizer(this, lower, method);
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new IllegalStateException(
            "HyperparameterOptimizer needs " + what + "; call builder()." + what + "(...)");
      }
    }
  }
}
