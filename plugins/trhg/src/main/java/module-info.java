/**
 * TRHG: the truncated reverse-mode hypergradient (Shaban, Cheng, Hatch and Boots, "Truncated
 * Back-propagation for Bilevel Optimization", AISTATS 2019), which back-propagates through the last
 * {@code K} lower-level steps only.
 */
module org.boml.plugins.trhg {
  requires org.boml.api;

  provides org.boml.api.HypergradientModuleProvider with
      org.boml.plugins.trhg.TrhgProvider;
}
