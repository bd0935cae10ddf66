/**
 * Data hyper-cleaning (Franceschi, Donini, Frasconi and Pontil, "Forward and reverse gradient-based
 * hyperparameter optimization", ICML 2017) on Fashion-MNIST: per-example weights of a corrupted
 * training set learned as hyperparameters with the generic bilevel API, and the {@code boml
 * hyperclean} subcommand.
 */
module org.boml.hyperclean {
  requires transitive org.boml.cli;
  requires org.boml.plugins.basicdynamics;
  requires transitive org.boml.datasets.fashionmnist;
  requires info.picocli;
  requires com.google.gson;

  exports org.boml.hyperclean;

  opens org.boml.hyperclean to
      info.picocli,
      com.google.gson;

  provides org.boml.runtime.cli.spi.Subcommand with
      org.boml.hyperclean.HypercleanCommand;
}
