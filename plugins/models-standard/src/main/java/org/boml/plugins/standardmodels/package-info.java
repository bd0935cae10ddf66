/**
 * The built-in functional models and their providers: a fully connected network ({@link Mlp},
 * {@code mlp}), the few-shot Conv-4 network ({@link ConvNet}, {@code convnet}) and BOML's residual
 * backbone ({@link ResNet}, {@code resnet}). Each is a pure function of parameters passed in on
 * every call, splits them into the feature and head groups, lists the layers a {@link
 * org.boml.api.LayerHook} may act on, and is initialized from a seed as PyTorch would ({@link
 * Initializers}). The models hold no weights and no running statistics: batch normalization always
 * uses the current batch.
 */
package org.boml.plugins.standardmodels;
