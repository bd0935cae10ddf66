/**
 * A third-party BOML plugin: the implicit hypergradient with a truncated Neumann series for the
 * inverse Hessian (Lorraine, Vicol and Duvenaud, "Optimizing Millions of Hyperparameters by
 * Implicit Differentiation", AISTATS 2020), provided as hypergradient module {@code neumann}.
 *
 * <p>All a plugin needs: read the API module and provide one of its service interfaces. Compiled
 * with {@code --module-version}, the module descriptor records this plugin's version and the
 * version of {@code org.boml.api} it was built against, which the runtime checks.
 */
module org.example.neumann {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.example.neumann.NeumannProvider;
}
