/**
 * The {@code metasgd} iteration module: Meta-SGD (Li et al. 2017), gradient steps with per-entry
 * (or one shared) step sizes {@code alpha} that are meta-learned together with the initialization
 * ({@link MetaSgd}). The step sizes join the meta-parameters through a model extension ({@link
 * StepSizes}), and {@link MetaSgdProvider} registers both. It supplies dynamics only: the
 * hypergradient comes from a module that differentiates through the trajectory, {@code rhg} for
 * {@code --method metasgd}.
 */
package org.boml.plugins.metasgd;
