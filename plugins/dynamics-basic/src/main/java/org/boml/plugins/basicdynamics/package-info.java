/**
 * The built-in lower-level dynamics {@code Psi}, each with the provider that registers it: plain
 * gradient descent ({@link GradientDescent}, {@code gd}), heavy-ball momentum ({@link HeavyBall},
 * {@code momentum}) and Adam ({@link Adam}, {@code adam}). Each step is a differentiable map of
 * {@code (x, y_t)}, so the velocity and Adam's moments and step count travel as extra named
 * variables of the lower-level state, and the step size is a constant or a learned {@code
 * exp(x[name])} ({@link StepSize}), as momentum's coefficient may be a learned {@code
 * sigmoid(x[name])}. Options {@code learn-lr} and {@code learn-momentum} have the providers add
 * those meta-parameters to {@code x} ({@link LearnedScalars}). Dynamics that add meta-parameters or
 * change the model (Meta-SGD, MT-net) and BDA are plugins, not part of this package.
 */
package org.boml.plugins.basicdynamics;
