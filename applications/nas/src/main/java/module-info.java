/**
 * Architecture search with DARTS (Liu, Simonyan and Yang, "DARTS: Differentiable Architecture
 * Search", ICLR 2019) on Fashion-MNIST with the generic bilevel API: the {@code nas-cells} model,
 * alternating updates of the architecture weights (by the {@code fmaml} or {@code darts}
 * hypergradient) and of the network weights, derivation of the discrete cell, retraining from
 * scratch against random cells, and the {@code boml nas} subcommand.
 */
module org.boml.nas {
  requires transitive org.boml.cli;
  requires org.boml.plugins.basicdynamics;
  requires transitive org.boml.plugins.nascells;
  requires transitive org.boml.datasets.fashionmnist;
  requires info.picocli;
  requires com.google.gson;
  requires java.desktop;

  exports org.boml.nas;

  opens org.boml.nas to
      info.picocli,
      com.google.gson;

  provides org.boml.runtime.cli.spi.Subcommand with
      org.boml.nas.NasCommand;
}
