/**
 * The standard models as a plugin: a fully connected network ({@code mlp}), the few-shot Conv-4
 * network ({@code convnet}) and BOML's residual backbone ({@code resnet}). It needs nothing but the
 * API; its package is exported so that applications and tests can build its models directly.
 */
module org.boml.plugins.standardmodels {
  requires transitive org.boml.api;

  exports org.boml.plugins.standardmodels;

  provides org.boml.api.ModelProvider with
      org.boml.plugins.standardmodels.MlpProvider,
      org.boml.plugins.standardmodels.ConvNetProvider,
      org.boml.plugins.standardmodels.ResNetProvider;
}
