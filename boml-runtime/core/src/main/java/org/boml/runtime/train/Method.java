package org.boml.runtime.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.runtime.plugin.Compatibility;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.plugin.PluginRegistry;

/**
 * A method, resolved: the lower-level dynamics and the hypergradient module with their identities
 * (for messages), and what each adds to the model's parameters. The one place that turns plugins
 * into a method is {@link Builder}: from providers through the compatibility check and the shared
 * options to the modules and their extensions; {@link MetaLearner}'s and {@link
 * HyperparameterOptimizer}'s builders and {@link org.boml.runtime.run.Assembly} use it.
 *
 * @param dynamics the lower-level dynamics
 * @param dynamicsIdentity which plugin they come from
 * @param hypergradient the hypergradient module
 * @param hypergradientIdentity which plugin it comes from
 * @param dynamicsExtension what the dynamics add to the model, if they come from a provider that
 *     adds something
 * @param hypergradientExtension what the hypergradient module adds, likewise
 */
public record Method(
    IterationModule dynamics,
    PluginIdentity dynamicsIdentity,
    HypergradientModule hypergradient,
    PluginIdentity hypergradientIdentity,
    Optional<ModelExtension> dynamicsExtension,
    Optional<ModelExtension> hypergradientExtension) {
  private static final String DYNAMICS = "dynamics";
  private static final String HYPERGRADIENT = "hypergradient module";

  /** Requires every part. */
  public Method {
    Objects.requireNonNull(dynamics, DYNAMICS);
    Objects.requireNonNull(dynamicsIdentity, "dynamicsIdentity");
    Objects.requireNonNull(hypergradient, HYPERGRADIENT);
    Objects.requireNonNull(hypergradientIdentity, "hypergradientIdentity");
    Objects.requireNonNull(dynamicsExtension, "dynamicsExtension");
    Objects.requireNonNull(hypergradientExtension, "hypergradientExtension");
  }

  /**
   * A builder with no parts.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The one extension of the model: the dynamics', the hypergradient module's or one given for
   * modules that were given as such; at most one may add parameters.
   *
   * @param given an extension given with the modules
   * @return the extension, if any
   * @throws IllegalArgumentException if more than one adds parameters
   */
  public Optional<ModelExtension> extension(Optional<ModelExtension> given) {
    List<ModelExtension> extensions = new ArrayList<>();
    dynamicsExtension.ifPresent(extensions::add);
    hypergradientExtension.ifPresent(extensions::add);
    given.ifPresent(extensions::add);
    if (extensions.size() > 1) {
      throw new IllegalArgumentException(
          "both the dynamics "
              + dynamicsIdentity
              + " and the hypergradient "
              + hypergradientIdentity
              + " add parameters to the model; use at most one method that extends the model");
    }
    return extensions.stream().findFirst();
  }

  /** The hypergradient module with the dynamics, as messages name them. */
  @Override
  public String toString() {
    return hypergradientIdentity + " with " + dynamicsIdentity;
  }

  /**
   * The parts of a method, each a module given as such or a provider with options, resolved by
   * {@link #build}: when both come from providers, their combination is checked ({@link
   * Compatibility}: missing capabilities, too few inner steps, a problem the method cannot see,
   * shared options that disagree) and the hypergradient's shared options that are not given take
   * the dynamics' values.
   */
  public static final class Builder {
    private IterationModule dynamics;
    private IterationModuleProvider dynamicsProvider;
    private Map<String, String> dynamicsOptions = Map.of();
    private PluginIdentity dynamicsIdentity;
    private HypergradientModule hypergradient;
    private HypergradientModuleProvider hypergradientProvider;
    private Map<String, String> hypergradientOptions = Map.of();
    private PluginIdentity hypergradientIdentity;
    private PluginRegistry registry;

    private Builder() {}

    /**
     * Dynamics given as a module.
     *
     * @param name its plugin name, for messages, or null for the name of the module's Java module
     * @param module the dynamics
     * @return this builder
     */
    public Builder dynamics(String name, IterationModule module) {
      dynamics = Objects.requireNonNull(module, DYNAMICS);
      dynamicsIdentity = PluginIdentity.of(DYNAMICS, name, module);
      dynamicsProvider = null;
      return this;
    }

    /**
     * Dynamics from a provider, created by {@link #build} or {@link #create}.
     *
     * @param provider the provider
     * @param options its options
     * @return this builder
     */
    public Builder dynamics(IterationModuleProvider provider, Map<String, String> options) {
      dynamicsProvider = Objects.requireNonNull(provider, "provider");
      dynamicsOptions = Map.copyOf(options);
      dynamicsIdentity = PluginIdentity.of(DYNAMICS, provider);
      dynamics = null;
      return this;
    }

    /**
     * A hypergradient module given as such.
     *
     * @param name its plugin name, for messages, or null for the name of the module's Java module
     * @param module the module
     * @return this builder
     */
    public Builder hypergradient(String name, HypergradientModule module) {
      hypergradient = Objects.requireNonNull(module, "hypergradient");
      hypergradientIdentity = PluginIdentity.of(HYPERGRADIENT, name, module);
      hypergradientProvider = null;
      return this;
    }

    /**
     * A hypergradient module from a provider, created by {@link #build} or {@link #create}.
     *
     * @param provider the provider
     * @param options its options
     * @return this builder
     */
    public Builder hypergradient(
        HypergradientModuleProvider provider, Map<String, String> options) {
      hypergradientProvider = Objects.requireNonNull(provider, "provider");
      hypergradientOptions = Map.copyOf(options);
      hypergradientIdentity = PluginIdentity.of(HYPERGRADIENT, provider);
      hypergradient = null;
      return this;
    }

    /**
     * Where the dynamics suggested by a refused combination come from; by default the providers on
     * the module path.
     *
     * @param plugins the registry
     * @return this builder
     */
    public Builder plugins(PluginRegistry plugins) {
      registry = Objects.requireNonNull(plugins, "plugins");
      return this;
    }

    /**
     * The part not given yet, if any.
     *
     * @return {@code dynamics} or {@code hypergradient}, or empty when both are given
     */
    public Optional<String> missing() {
      if (dynamics == null && dynamicsProvider == null) {
        return Optional.of(DYNAMICS);
      }
      return hypergradient == null && hypergradientProvider == null
          ? Optional.of("hypergradient")
          : Optional.empty();
    }

    /**
     * Checks the combination and creates the method.
     *
     * @param steps the lower-level steps {@code T}
     * @param problem what the problem supplies, or null when unknown
     * @return the method
     * @throws org.boml.runtime.plugin.IncompatiblePluginsException if both parts come from
     *     providers that declare the combination impossible; the message names both, what is
     *     missing and which dynamics would do
     */
    public Method build(int steps, Compatibility.ProblemKind problem) {
      check(steps, problem);
      return create(steps);
    }

    /**
     * Refuses an impossible combination of providers; parts given as modules are not checked.
     *
     * @param steps the lower-level steps {@code T}
     * @param problem what the problem supplies, or null when unknown
     * @throws org.boml.runtime.plugin.IncompatiblePluginsException if it is impossible
     */
    public void check(int steps, Compatibility.ProblemKind problem) {
      if (hypergradientProvider == null || dynamicsProvider == null) {
        return;
      }
      if (!compatibility(steps, problem, List.of()).reasons().isEmpty()) {
        PluginRegistry plugins = registry != null ? registry : PluginRegistry.discover(List.of());
        compatibility(steps, problem, plugins.iterations()).require();
      }
    }

    /**
     * Creates the method without checking the combination (for evaluating a trained method, which
     * computes no hypergradient).
     *
     * @param steps the lower-level steps {@code T}, which the dynamics' extension may depend on
     * @return the method
     * @throws IllegalStateException if a part is missing
     */
    public Method create(int steps) {
      missing()
          .ifPresent(
              part -> {
                throw new IllegalStateException("the method has no " + part);
              });
      Map<String, String> methodOptions =
          dynamicsProvider == null || hypergradientProvider == null
              ? hypergradientOptions
              : compatibility(steps, null, List.of()).resolvedMethodOptions();
      IterationModule lower = dynamics;
      Optional<ModelExtension> lowerExtension = Optional.empty();
      if (dynamicsProvider != null) {
        lower =
            PluginIdentity.created(
                dynamicsProvider, "create", dynamicsProvider.create(dynamicsOptions));
        lowerExtension =
            dynamicsProvider.modelExtension(
                Options.forProvider(dynamicsOptions, dynamicsProvider), steps);
      }
      HypergradientModule upper = hypergradient;
      Optional<ModelExtension> upperExtension = Optional.empty();
      if (hypergradientProvider != null) {
        upper =
            PluginIdentity.created(
                hypergradientProvider, "create", hypergradientProvider.create(methodOptions));
        upperExtension =
            hypergradientProvider.modelExtension(
                Options.forProvider(methodOptions, hypergradientProvider));
      }
      return new Method(
          lower, dynamicsIdentity, upper, hypergradientIdentity, lowerExtension, upperExtension);
    }

    private Compatibility compatibility(
        int steps,
        Compatibility.ProblemKind problem,
        Collection<IterationModuleProvider> alternatives) {
      return new Compatibility(
          hypergradientProvider,
          hypergradientOptions,
          dynamicsProvider,
          dynamicsOptions,
          steps,
          problem,
          alternatives);
    }
  }
}
