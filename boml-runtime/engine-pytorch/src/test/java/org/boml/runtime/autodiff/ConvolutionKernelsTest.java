package org.boml.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.boml.runtime.autodiff.ConvolutionKernels.Nnpack;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The float32 convolution self-check: the kernels chosen on this host agree with float64, a wrong
 * convolution is caught in each of the quantities checked, and the switch to libtorch's native
 * kernels takes effect.
 */
class ConvolutionKernelsTest {
  private final TorchDifferentiator d = TorchDifferentiator.get();

  @Test
  void theKernelsChosenOnThisHostMatchFloat64() {
    ConvolutionKernels.Selection chosen = ConvolutionKernels.current();
    assertNotNull(chosen, "TorchDifferentiator.get() makes the choice");
    assertNull(ConvolutionKernels.firstFault(d), "chosen: " + chosen);
  }

  /** Without a request, libtorch's native kernels compute float32 convolutions. */
  @Test
  void theNativeKernelsAreTheDefault() {
    Assumptions.assumeTrue(
        System.getProperty(ConvolutionKernels.PROPERTY) == null
            && System.getenv(ConvolutionKernels.ENVIRONMENT) == null,
        "a choice is requested");
    ConvolutionKernels.Selection chosen = ConvolutionKernels.current();
    assertEquals(ConvolutionKernels.Kernels.NATIVE, chosen.kernels());
    assertEquals("the default, the most accurate", chosen.reason());
  }

  /**
   * The native kernels keep NNPACK only where libtorch's NNPACK supports the CPU and libtorch runs
   * one intra-op thread, and the switch in libtorch is where the selection says.
   */
  @Test
  void nnpackIsOnOnlyWhereSupportedAndWithOneIntraOpThread() {
    assertEquals(Nnpack.ON, ConvolutionKernels.nnpackFor(1, true));
    assertEquals(Nnpack.OFF_SEVERAL_THREADS, ConvolutionKernels.nnpackFor(2, true));
    assertEquals(Nnpack.OFF_SEVERAL_THREADS, ConvolutionKernels.nnpackFor(16, true));
    assertEquals(Nnpack.UNSUPPORTED, ConvolutionKernels.nnpackFor(1, false));
    assertEquals(Nnpack.UNSUPPORTED, ConvolutionKernels.nnpackFor(2, false));
    ConvolutionKernels.Selection chosen = ConvolutionKernels.current();
    Assumptions.assumeTrue(chosen.kernels() == ConvolutionKernels.Kernels.NATIVE, "oneDNN chosen");
    assertEquals(
        ConvolutionKernels.nnpackFor(
            LibtorchSwitch.intraOpThreads(), LibtorchSwitch.nnpackSupported()),
        chosen.nnpack(),
        chosen::toString);
    assertEquals(chosen.nnpack() == Nnpack.ON, LibtorchSwitch.NNPACK.enabled(), chosen::toString);
  }

  /**
   * libtorch's NNPACK is reported supported exactly where switching it on changes a large batch's
   * convolution: NNPACK's Winograd and FFT kernels round differently from im2col.
   */
  @Test
  void nnpackIsReportedSupportedExactlyWhereItChangesTheResult() {
    withSwitchesRestored(
        () -> {
          try (NDManager manager = NDManager.newBaseManager()) {
            LibtorchSwitch.ONEDNN.enable(false);
            NDArray input =
                manager.randomNormal(
                    new Shape(ConvolutionKernels.NNPACK_BATCH, 64, 7, 7), DataType.FLOAT32);
            NDArray weight = manager.randomNormal(new Shape(64, 64, 3, 3), DataType.FLOAT32);
            Shape padding = new Shape(1, 1);
            LibtorchSwitch.NNPACK.enable(true);
            float[] withNnpack = conv(input, weight, padding).toFloatArray();
            LibtorchSwitch.NNPACK.enable(false);
            float[] withoutNnpack = conv(input, weight, padding).toFloatArray();
            assertEquals(
                LibtorchSwitch.nnpackSupported(), !Arrays.equals(withNnpack, withoutNnpack));
          }
        });
  }

  /** Threads that widen for one upper pass at a time take NNPACK off only where it was on. */
  @Test
  void widenedThreadsSwitchNnpackOffWhereItWasOn() {
    assertEquals(Nnpack.OFF_WIDE_THREADS, ConvolutionKernels.widened(Nnpack.ON, 2));
    assertEquals(Nnpack.ON, ConvolutionKernels.widened(Nnpack.ON, 1));
    assertEquals(Nnpack.UNSUPPORTED, ConvolutionKernels.widened(Nnpack.UNSUPPORTED, 2));
    assertEquals(
        Nnpack.OFF_SEVERAL_THREADS, ConvolutionKernels.widened(Nnpack.OFF_SEVERAL_THREADS, 4));
  }

  @Test
  void aSelectionSaysWhenNnpackIsOffAndWhy() {
    ConvolutionKernels.Kernels nativeKernels = ConvolutionKernels.Kernels.NATIVE;
    assertEquals(
        "native (why), without NNPACK (workers widen to more than one intra-op thread)",
        new ConvolutionKernels.Selection(nativeKernels, "why", Nnpack.OFF_WIDE_THREADS).toString());
    assertEquals(
        "native (why), without NNPACK (more than one intra-op thread)",
        new ConvolutionKernels.Selection(nativeKernels, "why", Nnpack.OFF_SEVERAL_THREADS)
            .toString());
    assertEquals(
        "native (why), without NNPACK (not supported on this CPU)",
        new ConvolutionKernels.Selection(nativeKernels, "why", Nnpack.UNSUPPORTED).toString());
    assertEquals(
        "native (why)",
        new ConvolutionKernels.Selection(nativeKernels, "why", Nnpack.ON).toString());
    assertEquals(
        "oneDNN (why)",
        new ConvolutionKernels.Selection(ConvolutionKernels.Kernels.ONEDNN, "why", Nnpack.ON)
            .toString());
  }

  /** The native kernels match float64 with NNPACK on and off, and each switch takes effect. */
  @Test
  void theNativeKernelsMatchFloat64AndTheSwitchesTakeEffect() {
    withSwitchesRestored(
        () -> {
          LibtorchSwitch.ONEDNN.enable(false);
          for (boolean withNnpack : new boolean[] {true, false}) {
            LibtorchSwitch.NNPACK.enable(withNnpack);
            assertEquals(withNnpack, LibtorchSwitch.NNPACK.enabled());
            assertNull(ConvolutionKernels.firstFault(d), "NNPACK " + withNnpack);
          }
        });
  }

  /** Runs a test that flips libtorch's kernel switches, and puts them back as they were. */
  private static void withSwitchesRestored(Runnable test) {
    boolean oneDnn = LibtorchSwitch.ONEDNN.enabled();
    boolean nnpack = LibtorchSwitch.NNPACK.enabled();
    try {
      test.run();
    } finally {
      LibtorchSwitch.ONEDNN.enable(oneDnn);
      LibtorchSwitch.NNPACK.enable(nnpack);
    }
  }

  /** A float32 convolution whose weight is off by one part in 10^3 in one entry is refused. */
  @Test
  void aSlightlyWrongForwardPassIsCaught() {
    String fault =
        ConvolutionKernels.firstFault(
            d,
            (input, weight, padding) -> {
              NDArray w = weight;
              if (weight.getDataType() == DataType.FLOAT32) {
                NDArray bump = weight.zerosLike();
                bump.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0, 0"), 1e-3f);
                w = weight.add(bump);
              }
              return conv(input, w, padding);
            });
    assertNotNull(fault);
    assertTrue(fault.contains("forward pass"), fault);
    assertTrue(fault.contains("relative error"), fault);
  }

  /**
   * A float32 convolution that is wrong only for batches of NNPACK's size (as NNPACK's kernels
   * would be on a host where they fail, the small batches still computed right by im2col) is
   * caught, and the fault names the batch.
   */
  @Test
  void aConvolutionWrongOnlyForLargeBatchesIsCaught() {
    String fault =
        ConvolutionKernels.firstFault(
            d,
            (input, weight, padding) -> {
              NDArray out = conv(input, weight, padding);
              boolean large = input.getShape().get(0) >= ConvolutionKernels.NNPACK_BATCH;
              if (!large || input.getDataType() != DataType.FLOAT32) {
                return out;
              }
              return out.add(out.getManager().full(new Shape(), 1e-2f));
            });
    assertNotNull(fault);
    assertTrue(
        fault.contains("batch " + ConvolutionKernels.NNPACK_BATCH + ", forward pass"), fault);
  }

  /**
   * A float32 convolution whose backward pass is wrong (the gradient to the input is scaled by 1.01
   * while the forward values stay exact) is caught at the gradient, and one whose gradient is only
   * wrong in the double backward at its second derivative.
   */
  @Test
  void wrongFirstAndSecondDerivativesAreCaught() {
    String gradient =
        ConvolutionKernels.firstFault(
            d,
            (input, weight, padding) ->
                input.getDataType() == DataType.FLOAT32
                    ? conv(scaleGradient(input, 1.01f), weight, padding)
                    : conv(input, weight, padding));
    assertNotNull(gradient);
    assertTrue(gradient.contains("gradient to the input"), gradient);

    String second =
        ConvolutionKernels.firstFault(
            d,
            (input, weight, padding) -> {
              NDArray out = conv(input, weight, padding);
              if (input.getDataType() != DataType.FLOAT32) {
                return out;
              }
              // adds 1e-3 * <input, weight-shaped term>^2 / 2 terms whose first derivatives
              // vanish at zero but whose second derivatives do not: out + 1e-3 * (s - s0)^2 with
              // s = sum(weight) and s0 its current value
              NDArray s = weight.sum();
              NDArray s0 = s.duplicate();
              NDArray scale = out.getManager().full(new Shape(), 1e-3f);
              return out.add(s.sub(s0).square().mul(scale));
            });
    assertNotNull(second);
    assertTrue(second.contains("second derivative to the weight"), second);
  }

  @Test
  void theLoadedLibraryIsFoundInTheMapsListing() {
    List<String> maps =
        List.of(
            "7f00-7f10 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f20-7f30 r-xp 00000000 08:01 2 /cache/pytorch/2.7.1-cpu/libtorch_cpu.so",
            "7f40-7f50 rw-p 00000000 00:00 0 [heap]");
    assertEquals(
        Path.of("/cache/pytorch/2.7.1-cpu/libtorch_cpu.so"),
        LoadedLibraries.pathIn(maps, "libtorch_cpu.so"));
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> LoadedLibraries.pathIn(List.of(), "libtorch_cpu.so"));
    assertTrue(missing.getMessage().contains("libtorch_cpu.so is not loaded"));
    assertTrue(LoadedLibraries.path("libtorch_cpu.so").toString().endsWith("/libtorch_cpu.so"));
  }

  /** Without TORCH_CPP_LOG_LEVEL (as in the tests), libtorch's C++ log starts at ERROR. */
  @Test
  void libtorchsCppLogStartsAtErrorUnlessTheUserSetsTheLevel() {
    Assumptions.assumeTrue(
        System.getenv(LibtorchLogging.ENVIRONMENT) == null,
        "TORCH_CPP_LOG_LEVEL is set in this environment and decides the level");
    assertEquals(LibtorchLogging.ERROR, LibtorchLogging.level());
  }

  private static NDArray conv(NDArray input, NDArray weight, Shape padding) {
    Shape ones = new Shape(1, 1);
    return Conv2d.conv2d(input, weight, null, ones, padding, ones, 1).singletonOrThrow();
  }

  /** The identity in the forward pass whose gradient is multiplied by {@code factor}. */
  private static NDArray scaleGradient(NDArray x, float factor) {
    NDArray f = x.getManager().full(new Shape(), factor);
    NDArray detached = x.duplicate();
    // x * f - stopgrad(x * (f - 1)): value x, gradient f
    NDArray excess = detached.mul(f.sub(x.getManager().full(new Shape(), 1f)));
    return x.mul(f).sub(excess);
  }
}
