package org.boml.plugins.hoag;

import java.util.List;
import java.util.Set;
import org.boml.api.Capabilities;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link ImplicitHypergradient} as hypergradient module {@code hoag}. */
public final class HoagProvider implements HypergradientModuleProvider {
  /** The option that caps the conjugate-gradient iterations (Hessian-vector products). */
  public static final String CG_ITERATIONS = "cg-iterations";

  /** The option that sets the relative residual at which conjugate gradient stops. */
  public static final String TOLERANCE = "tolerance";

  /** The option that adds {@code lambda I} to the Hessian (Tikhonov damping). */
  public static final String DAMPING = "damping";

  /** The option that starts each solve from the previous one's solution. */
  public static final String WARM_START = "warm-start";

  @Override
  public String name() {
    return "hoag";
  }

  @Override
  public String description() {
    return "implicit hypergradient at y_T (HOAG): conjugate gradient on Hessian-vector products";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            CG_ITERATIONS,
            "50",
            "the most conjugate-gradient iterations (Hessian-vector products) per task"),
        new OptionSpec(
            TOLERANCE,
            "1e-6",
            "stop conjugate gradient when |H q - grad_y F| <= tolerance * |grad_y F|; a solve that"
                + " ends above it (cg-iterations reached, or a singular or indefinite H that"
                + " grad_y F reaches) is an error"),
        new OptionSpec(
            DAMPING,
            "0",
            "lambda >= 0: solve (H + lambda I) q = grad_y F (proximal/Tikhonov damping as in"
                + " iMAML): the implicit hypergradient of f + lambda/2 |y - y_T|^2, y_T held"
                + " fixed, at a stationary y_T; needed where H is singular (few-shot"
                + " classification heads with more features than support points)"),
        new OptionSpec(
            WARM_START,
            "false",
            "true: start conjugate gradient from the previous call's solution q (HOAG's warm"
                + " start), for one problem solved at every outer step (hyperparameter"
                + " optimization); keep false for meta-batches of different tasks"));
  }

  /**
   * The implicit function theorem is applied at {@code y_T} as if it were a stationary point of
   * {@code f}, so the dynamics must converge to such points ({@link
   * Capabilities#STATIONARY_LIMIT}); {@code Psi_0} is ignored, so {@code x} must enter {@code f}
   * ({@link Capabilities#X_IN_LOWER_OBJECTIVE}), otherwise the result is {@code partial_x F}, zero
   * for meta-initialization; and the steps are ignored too, so they must read no meta-parameter of
   * their own ({@link Capabilities#STEPS_WITHOUT_META_PARAMETERS}), such as a learned step size,
   * whose hypergradient would be exactly zero.
   */
  @Override
  public Set<String> requirements(Options options) {
    return Set.of(
        Capabilities.STATIONARY_LIMIT,
        Capabilities.STEPS_WITHOUT_META_PARAMETERS,
        Capabilities.X_IN_LOWER_OBJECTIVE);
  }

  /**
   * The derivatives are taken at {@code y_T} with the objective of the last step, which needs one.
   */
  @Override
  public int minimumSteps(Options options) {
    return 1;
  }

  @Override
  public HypergradientModule create(Options options) {
    return new ImplicitHypergradient(
        options.getInt(CG_ITERATIONS, 1),
        options.getDouble(TOLERANCE, v -> v >= 0, "a number >= 0"),
        options.getDouble(DAMPING, v -> v >= 0, "a number >= 0"),
        Boolean.parseBoolean(options.getChoice(WARM_START, Set.of("true", "false"))));
  }
}
