/**
 * The runtime's {@link org.boml.runtime.engine.ComputeEngine} on DJL's PyTorch engine ({@link
 * org.boml.engine.pytorch.PyTorchComputeEngine}), and what it reads and starts: DJL's PyTorch
 * engine, offline, with actionable messages when it fails ({@link
 * org.boml.engine.pytorch.Engines}), the native allocator in use and the resident memory from
 * {@code /proc} ({@link org.boml.engine.pytorch.NativeAllocator}, {@link
 * org.boml.engine.pytorch.PeakMemory}). The differentiator itself lives in {@code
 * org.boml.runtime.autodiff}, which plugin tests import.
 */
package org.boml.engine.pytorch;
