package org.boml.api;

import java.util.Set;

/**
 * The words with which plugins state which combinations make sense: an {@link
 * IterationModuleProvider} lists the capabilities its dynamics have ({@link
 * IterationModuleProvider#capabilities(Options)}), a {@link HypergradientModuleProvider} lists the
 * ones it relies on ({@link HypergradientModuleProvider#requirements(Options)}), and the runtime
 * refuses, before any work, a combination where something required is missing, with a message that
 * names both plugins, what is missing and which dynamics would do.
 *
 * <p>Most capabilities belong to the dynamics. {@link #X_IN_LOWER_OBJECTIVE}, {@link
 * #X_BEYOND_LOWER_OBJECTIVE} and {@link #ADAPTED_FEATURES} belong to the problem instead ({@link
 * #OF_PROBLEM}): the runtime supplies them where it knows the problem (the meta-feature family has
 * the first, meta-initialization the third, both the second) and does not check them where it
 * cannot know (a user's own {@link BilevelProblem}, unless the user declares what it supplies).
 *
 * <p>Third-party plugins may use their own words; the runtime only compares names. A provider that
 * declares nothing gets the defaults: dynamics have {@link #DIFFERENTIABLE_STEPS} (the contract of
 * {@link IterationModule#step}), hypergradients require nothing.
 */
public final class Capabilities {
  /**
   * {@code differentiable-steps}: {@link IterationModule#step} with {@code differentiable = true}
   * returns {@code Psi_t(x, y)} with the graph of the exact map, so that its derivatives of any
   * order with respect to {@code x} and {@code y} are those of the step (no straight-through
   * estimates, no steps that stop the graph). Required by the methods that differentiate through
   * the trajectory: reverse mode ({@code rhg}, {@code trhg}) and forward mode ({@code fhg}).
   */
  public static final String DIFFERENTIABLE_STEPS = "differentiable-steps";

  /**
   * {@code gradient-step}: every step is plain gradient descent on the whole state, {@code Psi_t(x,
   * y) = y - lr grad_y f_t(x, y)}, with a step size {@code lr} that is a constant (it does not
   * depend on {@code x} or {@code t}) and is the value of the provider's option {@code lr}.
   * Required by {@code darts}, whose formula is the derivative of exactly that step.
   */
  public static final String GRADIENT_STEP = "gradient-step";

  /**
   * {@code single-state}: the state {@code y} holds only the problem's base parameters, the
   * variables of {@link BilevelProblem#initialBase(Variables)}, with nothing else (no velocity, no
   * moments). A method may then treat {@code y_T} as model parameters. No bundled method requires
   * it; it is listed for third-party ones.
   */
  public static final String SINGLE_STATE = "single-state";

  /**
   * {@code stationary-limit}: whenever the iterates converge, their limit is a stationary point of
   * the lower-level objective, {@code grad_y f(x, y*) = 0} for the base parameters (plain and
   * momentum gradient descent, Adam, descent aggregation with a vanishing upper-level weight).
   * Required by the implicit method {@code hoag}, which assumes {@code y_T} approximates such a
   * point.
   */
  public static final String STATIONARY_LIMIT = "stationary-limit";

  /**
   * {@code steps-without-meta-parameters}: the steps read no meta-parameter of their own; {@code x}
   * reaches a step only through the objectives whose derivatives it takes ({@code f}, and {@code F}
   * for dynamics that also descend it). Not so with a step size read from {@code x} (a learned
   * {@code lr}, Meta-SGD's step sizes) or masks sampled from {@code x}. Required by the implicit
   * method {@code hoag}, whose hypergradient sees {@code x} only through {@code f} and {@code F} at
   * {@code y_T}: a meta-parameter that only the steps read would get exactly zero.
   *
   * @since 1.1.0
   */
  public static final String STEPS_WITHOUT_META_PARAMETERS = "steps-without-meta-parameters";

  /**
   * {@code x-in-lower-objective}, a capability of the problem: the meta-parameters enter the
   * lower-level objective {@code f(x, y)} itself, not only the initial point {@code y_0 =
   * Psi_0(x)}. The meta-feature family has it, meta-initialization does not. Required by the
   * methods that ignore {@code Psi_0} ({@code hoag}, {@code darts}): without it their hypergradient
   * is {@code partial_x F}, which for meta-initialization is zero.
   */
  public static final String X_IN_LOWER_OBJECTIVE = "x-in-lower-objective";

  /**
   * {@code adapted-features}, a capability of the problem: the lower level adapts the layers below
   * the output layer (in meta-initialization every layer of the model), not only a task-specific
   * head. Meta-initialization has it, the meta-feature family does not. Required by methods that
   * act on the adapted hidden layers, such as {@code warpgrad}, whose warp layers follow them.
   *
   * @since 1.1.0
   */
  public static final String ADAPTED_FEATURES = "adapted-features";

  /**
   * {@code x-beyond-lower-objective}, a capability of the problem: every meta-parameter reaches the
   * upper-level objective {@code F(x, y)} or the initial point {@code y_0 = Psi_0(x)} (or, for
   * parameters that dynamics add, such as a learned step size, the steps themselves), not only the
   * lower-level objective {@code f}. Both families have it (meta-initialization through {@code y_0
   * = x}, the meta-feature family through the features in {@code F}); hyperparameters of {@code f}
   * alone (a weight decay, per-example weights) do not. Required by methods that hold {@code grad_y
   * f} constant ({@code fmaml}): they give a meta-parameter that enters only {@code f} a
   * hypergradient of exactly zero.
   *
   * @since 1.1.0
   */
  public static final String X_BEYOND_LOWER_OBJECTIVE = "x-beyond-lower-objective";

  /** The capabilities that the problem, not the dynamics, supplies. */
  public static final Set<String> OF_PROBLEM =
      Set.of(X_IN_LOWER_OBJECTIVE, X_BEYOND_LOWER_OBJECTIVE, ADAPTED_FEATURES);

  private Capabilities() {}
}
