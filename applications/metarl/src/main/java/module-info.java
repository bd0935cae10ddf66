/**
 * Meta-reinforcement learning (Finn, Abbeel and Levine, "Model-agnostic meta-learning for fast
 * adaptation of deep networks", ICML 2017, section 5.3) with the generic bilevel API: an
 * environment service interface whose tasks are environments, 2D navigation, a Gaussian MLP policy
 * adapted by REINFORCE with a linear feature baseline, and the {@code boml rl} subcommand.
 */
module org.boml.metarl {
  requires transitive org.boml.cli;
  requires org.boml.plugins.basicdynamics;
  requires info.picocli;
  requires com.google.gson;

  exports org.boml.metarl;

  opens org.boml.metarl to
      info.picocli,
      com.google.gson;

  uses org.boml.metarl.EnvironmentFamily;

  provides org.boml.metarl.EnvironmentFamily with
      org.boml.metarl.Navigation2d;
  provides org.boml.runtime.cli.spi.Subcommand with
      org.boml.metarl.RlCommand;
}
