/**
 * The runtime's view of its tensor engine: one {@link org.boml.runtime.engine.ComputeEngine}
 * (differentiator, a computing thread's autograd mode and thread count, GPUs and the default
 * device, intra-op threads, convolution kernels, native allocator and resident memory), implemented
 * by {@code boml-engine-pytorch} and found through {@link java.util.ServiceLoader} by {@link
 * org.boml.runtime.engine.ComputeEngines}. Nothing here names an engine.
 */
package org.boml.runtime.engine;
