package org.boml.plugins.hoag;

import java.util.List;
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
        new OptionSpec(CG_ITERATIONS, "50",
            "the most conjugate-gradient iterations (Hessian-vector products) per task"),
        new OptionSpec(TOLERANCE, "1e-6",
            "stop conjugate gradient when |H q - grad_y F| <= tolerance * |grad_y F|"));
  }

  @Override
  public HypergradientModule create(Options options) {
    return new ImplicitHypergradient(
        options.getInt(CG_ITERATIONS, 1),
        options.getDouble(TOLERANCE, v -> v >= 0, "a number >= 0"));
  }
}
