/**
 * The DARTS search space (Liu, Simonyan and Yang, "DARTS: Differentiable Architecture Search", ICLR
 * 2019) as a model plugin: cells of mixed operations with the architecture weights {@code alpha} in
 * {@code x} and the network weights in {@code y}, the derivation of a discrete cell (genotype), and
 * discrete networks of a given genotype for retraining from scratch.
 */
module org.boml.plugins.nascells {
  requires transitive org.boml.api;

  exports org.boml.plugins.nascells;

  provides org.boml.api.ModelProvider with
      org.boml.plugins.nascells.NasCellsProvider;
}
