/**
 * The BOML runtime: differentiation on DJL's PyTorch engine, plugin discovery, the meta-training
 * loop, built-in lower-level dynamics ({@code gd}, {@code momentum}, {@code adam}) and models
 * ({@code mlp}, {@code convnet}, {@code resnet}), and the command line.
 */
module org.boml.runtime {
  requires transitive org.boml.api;
  requires ai.djl.pytorch_engine;
  requires com.sun.jna;
  requires org.slf4j;
  requires org.apache.logging.log4j;
  requires info.picocli;
  requires com.google.gson;
  requires java.desktop;

  exports org.boml.runtime;
  exports org.boml.runtime.autodiff;
  exports org.boml.runtime.check;
  exports org.boml.runtime.cli.spi;
  exports org.boml.runtime.dynamics;
  exports org.boml.runtime.model;
  exports org.boml.runtime.plugin;
  exports org.boml.runtime.problem;
  exports org.boml.runtime.run;
  exports org.boml.runtime.train;

  opens org.boml.runtime.cli to
      info.picocli,
      com.sun.jna; // NativeHeap.MallInfo2, filled by JNA
  opens org.boml.runtime.run to
      com.google.gson;

  uses org.boml.api.IterationModuleProvider;
  uses org.boml.api.HypergradientModuleProvider;
  uses org.boml.api.DatasetProvider;
  uses org.boml.api.ModelProvider;
  uses org.boml.runtime.cli.spi.Subcommand;

  provides org.boml.api.IterationModuleProvider with
      org.boml.runtime.dynamics.GradientDescentProvider,
      org.boml.runtime.dynamics.HeavyBallProvider,
      org.boml.runtime.dynamics.AdamProvider;
  provides org.boml.api.ModelProvider with
      org.boml.runtime.model.MlpProvider,
      org.boml.runtime.model.ConvNetProvider,
      org.boml.runtime.model.ResNetProvider;
}
