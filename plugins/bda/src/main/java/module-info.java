/**
 * BDA: Bilevel Descent Aggregation (Liu, Mu, Yuan, Zeng and Zhang, "A Generic First-Order
 * Algorithmic Framework for Bi-Level Programming Beyond Lower-Level Singleton", ICML 2020), as
 * lower-level dynamics whose steps follow an aggregate of the lower- and upper-level descent
 * directions. Any hypergradient module that differentiates through the dynamics (e.g. {@code rhg})
 * gives its hypergradient.
 */
module org.boml.plugins.bda {
  requires org.boml.api;

  provides org.boml.api.IterationModuleProvider with
      org.boml.plugins.bda.BdaProvider;
}
