/**
 * The BOML runtime: plugin discovery and the meta-training loop. The standard dynamics ({@code gd},
 * {@code momentum}, {@code adam}) and models ({@code mlp}, {@code convnet}, {@code resnet}) are
 * plugins like any other ({@code plugins/dynamics-basic}, {@code plugins/models-standard}). The
 * command line, run directories, plots and the benchmark are in {@code org.boml.cli}. It computes
 * through the {@link org.boml.runtime.engine.ComputeEngine} that {@code org.boml.runtime.engine}
 * finds by ServiceLoader ({@code boml-engine-pytorch}), and never names the PyTorch engine itself.
 * Its gradient checks and contract tests for plugins are in the test kit, {@code org.boml.testkit}.
 */
module org.boml.runtime {
  requires transitive org.boml.api;
  requires transitive org.boml.runtime.engine;
  requires org.slf4j;
  requires org.apache.logging.log4j;

  exports org.boml.runtime;
  exports org.boml.runtime.plugin;
  exports org.boml.runtime.problem;
  exports org.boml.runtime.train;

  uses org.boml.api.IterationModuleProvider;
  uses org.boml.api.HypergradientModuleProvider;
  uses org.boml.api.DatasetProvider;
  uses org.boml.api.ModelProvider;
}
