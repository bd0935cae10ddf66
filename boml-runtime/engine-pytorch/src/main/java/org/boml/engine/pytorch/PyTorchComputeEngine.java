package org.boml.engine.pytorch;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.util.OptionalLong;
import org.boml.api.Differentiator;
import org.boml.runtime.autodiff.ConvolutionKernels;
import org.boml.runtime.autodiff.ThreadWidth;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.engine.ComputeEngine;

/**
 * The {@link ComputeEngine} on DJL's PyTorch engine: {@link TorchDifferentiator}, {@link Engines}'
 * offline start-up, libtorch's intra-op threads ({@code ai.djl.pytorch.num_threads}), and {@code
 * /proc}'s figures ({@link NativeAllocator}, {@link PeakMemory}). Creating it starts nothing.
 */
public final class PyTorchComputeEngine implements ComputeEngine {
  /** DJL's setting of libtorch's intra-op threads, read once when the engine starts. */
  static final String INTRA_OP = "ai.djl.pytorch.num_threads";

  /** Creates the engine's handle; ServiceLoader calls this. */
  public PyTorchComputeEngine() {}

  @Override
  public String name() {
    return Engines.PYTORCH;
  }

  @Override
  public Differentiator differentiator() {
    return TorchDifferentiator.get();
  }

  @Override
  public void prepareThread() {
    Engines.pytorch();
    JniUtils.setGradMode(true);
    // libtorch applies its intra-op thread count to a thread (OpenMP's team size, MKL's threads)
    // only when the thread first asks for the count, which operations on small arrays never do:
    // until then MKL ran their matrix products on a team of one OpenMP thread per core, whose
    // wake-ups took a quarter of the CPU in the sinusoid default job. Asking here applies it.
    JniUtils.getNumThreads();
  }

  @Override
  public int gpuCount() {
    return Engines.pytorch().getGpuCount();
  }

  @Override
  public String gpuHelp() {
    return "DJL's PyTorch engine sees none: this build runs the CPU libtorch"
        + " (ai.djl.pytorch:pytorch-native-cpu). To use CUDA, point PYTORCH_LIBRARY_PATH at a"
        + " libtorch 2.7.1 directory built for CUDA 12.8 and set PYTORCH_FLAVOR=cu128 (the"
        + " pytorch-jni jar already holds the cu128 JNI library)";
  }

  @Override
  public Device defaultDevice() {
    return Engines.defaultDevice();
  }

  @Override
  public void setIntraOpThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("intra-op threads must be at least 1, got " + threads);
    }
    System.setProperty(INTRA_OP, Integer.toString(threads));
  }

  @Override
  public int intraOpThreads() {
    return Integer.getInteger(INTRA_OP, 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here NNPACK is switched off for the process where it was on ({@link
   * ConvolutionKernels#prepareWideThreads}).
   */
  @Override
  public boolean prepareWideThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("intra-op threads must be at least 1, got " + threads);
    }
    ConvolutionKernels.prepareWideThreads(threads);
    return true;
  }

  @Override
  public void setCallingThreadIntraOpThreads(int threads) {
    ThreadWidth.set(threads);
  }

  @Override
  public String convolutionKernels() {
    return ConvolutionKernels.inUse().toString();
  }

  @Override
  public String nativeAllocator() {
    return NativeAllocator.describe();
  }

  @Override
  public double peakMemoryMiB() {
    return PeakMemory.peakMiB();
  }

  @Override
  public double residentMemoryMiB() {
    return PeakMemory.currentMiB();
  }

  @Override
  public OptionalLong nativeBytesInUse() {
    return NativeHeap.allocatedBytes();
  }
}
