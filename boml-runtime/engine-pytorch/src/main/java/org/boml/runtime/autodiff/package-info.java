/**
 * Reverse-mode differentiation on libtorch: {@link TorchDifferentiator}, the runtime's one {@link
 * org.boml.api.Differentiator}, calls {@code torch.autograd.grad} through a TorchScript helper that
 * {@link AutogradArchive} writes in pure Java. The package also owns the process-wide libtorch
 * settings that the first differentiator makes: the level of libtorch's C++ log ({@link
 * LibtorchLogging}) and the float32 convolution kernels, checked against float64 on this host
 * ({@link ConvolutionKernels}) and switched through JNA ({@link LibtorchSwitch}) in the libtorch
 * library that {@link LoadedLibraries} finds in {@code /proc/self/maps}. It is the only package
 * that calls native code through JNA. It belongs to {@code boml-engine-pytorch} (the package kept
 * its name when it moved there whole); the runtime's core reaches it only through {@link
 * org.boml.runtime.engine.ComputeEngine}.
 */
package org.boml.runtime.autodiff;
