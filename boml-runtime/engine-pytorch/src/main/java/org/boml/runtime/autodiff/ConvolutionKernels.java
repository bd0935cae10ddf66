package org.boml.runtime.autodiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Chooses, once per process, the libtorch kernels that compute float32 convolutions, and checks
 * them against float64 on the host they run on.
 *
 * <p>libtorch computes float32 convolutions on the CPU with oneDNN's JIT kernels unless told
 * otherwise, and float64 ones with its own native kernels (im2col and a matrix product). oneDNN's
 * kernels depend on the CPU: on a virtualized AMD EPYC (Zen 5) whose CPUID reports no cache
 * topology they return wrong values or NaN; on an AMD EPYC (Zen 4) they pass the small checks below
 * but the float32 hypergradients of the conv net and the residual net computed with them are up to
 * 5.7e-3 off float64 where the native kernels stay under 6e-5 (docs/reliability.md, "Host
 * numerics"). So by default BOML switches libtorch to its native convolutions ({@code
 * torch.backends.mkldnn.enabled = False}) and, before the first convolution of a run, {@link
 * #select} computes a few small convolutions, their gradients and their double backward in float32
 * and in float64 and compares them; the choice and its reason are logged and reported by {@code
 * boml --version} and {@code boml bench}.
 *
 * <p>The system property {@value #PROPERTY} (or the environment variable {@value #ENVIRONMENT})
 * picks the kernels: {@code native} (the default) as above; {@code auto} checks oneDNN first and
 * keeps it where it passes the check (faster, by 1.3 to 1.6 times on the Zen 4 host, and less
 * accurate), falling back to the native kernels where it fails; {@code onednn} keeps oneDNN (still
 * checked, and a failure is logged as an error).
 */
public final class ConvolutionKernels {
  /** The system property that overrides the choice. */
  public static final String PROPERTY = "boml.convolution";

  /** The environment variable that overrides the choice where the property is not set. */
  public static final String ENVIRONMENT = "BOML_CONVOLUTION";

  /** Largest accepted relative error of float32 against float64 (max-abs over max-abs). */
  static final double TOLERANCE = 1e-4;

  private static final Logger LOG = LogManager.getLogger(ConvolutionKernels.class);

  /** The batch of most cases: small enough that libtorch computes it with im2col. */
  private static final int SMALL_BATCH = 4;

  /**
   * The smallest batch for which libtorch 2.7.1 computes a 3x3 float32 convolution with NNPACK
   * (Winograd and FFT transforms, chosen by the CPU's instruction set) when oneDNN is off, and its
   * gradients with {@code slow_conv_dilated2d}: the kernels of every query batch of 16 or more
   * images, such as the benchmark's 75, which the small batches never reach.
   */
  static final int NNPACK_BATCH = 16;

  /**
   * The shapes checked: each is a convolution that a built-in model runs or that failed on a host
   * (channel counts that are multiples of 16 and counts that are not, 1x1 and 3x3 kernels), at a
   * small batch and, for the conv net's two kinds of layer, at {@link #NNPACK_BATCH}.
   */
  private static final List<Case> CASES =
      List.of(
          new Case(1, 16, 3, 10, SMALL_BATCH),
          new Case(1, 64, 3, 10, SMALL_BATCH),
          new Case(3, 5, 3, 6, SMALL_BATCH),
          new Case(8, 8, 3, 6, SMALL_BATCH),
          new Case(16, 24, 3, 7, SMALL_BATCH),
          new Case(24, 24, 3, 5, SMALL_BATCH),
          new Case(24, 16, 3, 5, SMALL_BATCH),
          new Case(40, 40, 3, 4, SMALL_BATCH),
          new Case(16, 24, 1, 5, SMALL_BATCH),
          new Case(64, 64, 3, 5, SMALL_BATCH),
          new Case(1, 64, 3, 10, NNPACK_BATCH),
          new Case(64, 64, 3, 7, NNPACK_BATCH));

  private static volatile Selection selection;

  private ConvolutionKernels() {}

  /** The kernels that compute float32 convolutions. */
  public enum Kernels {
    /** oneDNN's JIT kernels, libtorch's default on x86 CPUs. */
    ONEDNN,
    /** libtorch's native kernels (im2col and a matrix product), as for float64. */
    NATIVE;

    @Override
    public String toString() {
      return this == ONEDNN ? "oneDNN" : "native";
    }
  }

  /**
   * The outcome of the choice.
   *
   * @param kernels the kernels in use
   * @param reason why: the self-check's verdict or the override that decided
   * @param nnpack whether libtorch may compute the forward pass of batches of {@link #NNPACK_BATCH}
   *     or more with NNPACK (only the native kernels use it), and if not, why: see {@link
   *     #nnpackFor}
   */
  public record Selection(Kernels kernels, String reason, Nnpack nnpack) {
    @Override
    public String toString() {
      String kernelsAndReason = kernels + " (" + reason + ")";
      return kernels == Kernels.NATIVE ? kernelsAndReason + nnpack.note : kernelsAndReason;
    }
  }

  /** Whether the native kernels compute large batches with NNPACK, and if not, why. */
  public enum Nnpack {
    /** NNPACK computes the forward pass of batches of 16 images or more. */
    ON(""),

    /** Off because libtorch runs more than one intra-op thread. */
    OFF_SEVERAL_THREADS(", without NNPACK (more than one intra-op thread)"),

    /**
     * Off because a task worker widens to more than one intra-op thread for its upper pass ({@link
     * #prepareWideThreads}).
     */
    OFF_WIDE_THREADS(", without NNPACK (workers widen to more than one intra-op thread)"),

    /**
     * Off because libtorch's NNPACK does not initialize on this CPU ({@code Unsupported hardware},
     * as on virtual machines that hide the CPU's cache sizes).
     */
    UNSUPPORTED(", without NNPACK (not supported on this CPU)");

    private final String note;

    Nnpack(String note) {
      this.note = note;
    }
  }

  /**
   * Whether the native kernels use NNPACK: only where libtorch's NNPACK supports the CPU and
   * libtorch runs one intra-op thread. NNPACK runs its own thread pool beside libtorch's OpenMP
   * threads, and its threads wait for work by spinning; on the 2-core AMD EPYC Zen 4, one task
   * worker with two intra-op threads spent 18% of its CPU samples in that pool's wait loop, and
   * without NNPACK the benchmark's meta-iteration took 0.65-0.83 of the time (docs/performance.md).
   * With one intra-op thread NNPACK starts no thread and its forward pass is the faster one. Where
   * NNPACK is not supported, switching it off also spares libtorch a failed initialization at every
   * large convolution.
   *
   * @param intraOpThreads libtorch's intra-op threads
   * @param supported whether libtorch's NNPACK initializes on this CPU
   * @return whether NNPACK stays on, and if not, why
   */
  static Nnpack nnpackFor(int intraOpThreads, boolean supported) {
    if (!supported) {
      return Nnpack.UNSUPPORTED;
    }
    return intraOpThreads <= 1 ? Nnpack.ON : Nnpack.OFF_SEVERAL_THREADS;
  }

  /**
   * The choice made in this process, or {@code null} before the first {@link
   * TorchDifferentiator#get()}.
   *
   * @return the selection, or {@code null}
   */
  public static Selection current() {
    return selection;
  }

  /**
   * The choice of this process, made now (starting the engine) if it was not made yet.
   *
   * @return the selection
   */
  public static Selection inUse() {
    TorchDifferentiator.get();
    return selection;
  }

  /**
   * Makes the choice once; later calls return it.
   *
   * @param differentiator the differentiator the check computes gradients with
   * @return the selection
   */
  static synchronized Selection select(TorchDifferentiator differentiator) {
    if (selection == null) {
      selection = choose(differentiator, requested());
    }
    return selection;
  }

  /**
   * Readies the kernels for threads that widen to {@code threads} intra-op threads ({@link
   * ThreadWidth}): switches NNPACK off for the process where it was on. NNPACK's thread pool keeps
   * the process's count, so a widened thread's large batches would run on one core while the other
   * cores wait (docs/performance.md). Starts the engine if it has not started.
   *
   * @param threads the widest intra-op count a thread will take
   * @return the selection now in use
   */
  public static Selection prepareWideThreads(int threads) {
    TorchDifferentiator.get();
    synchronized (ConvolutionKernels.class) {
      Nnpack nnpack = widened(selection.nnpack(), threads);
      if (nnpack != selection.nnpack()) {
        LibtorchSwitch.NNPACK.enable(nnpack == Nnpack.ON);
        selection = new Selection(selection.kernels(), selection.reason(), nnpack);
      }
      return selection;
    }
  }

  /**
   * NNPACK's use once threads may widen to {@code threads} intra-op threads: off where it was on
   * and a thread widens to more than one.
   *
   * @param nnpack its use before
   * @param threads the widest intra-op count a thread will take
   * @return its use from now on
   */
  static Nnpack widened(Nnpack nnpack, int threads) {
    return threads > 1 && nnpack == Nnpack.ON ? Nnpack.OFF_WIDE_THREADS : nnpack;
  }

  /** The choice requested: where it comes from and its value, {@code native} where none is set. */
  private record Request(String source, String mode) {}

  private static Request requested() {
    String source = PROPERTY;
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      source = ENVIRONMENT;
      value = System.getenv(ENVIRONMENT);
    }
    if (value == null || value.isBlank()) {
      return new Request("default", "native");
    }
    String mode = value.trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "onednn", "native").contains(mode)) {
      throw new IllegalArgumentException(
          source
              + " is '"
              + value
              + "'; use native (the default: libtorch's native kernels), auto (oneDNN where it"
              + " passes a check against float64) or onednn");
    }
    return new Request(source, mode);
  }

  private static Selection choose(TorchDifferentiator differentiator, Request request) {
    if (request.mode().equals("native")) {
      return useNative(
          differentiator,
          request.source().equals("default")
              ? "the default, the most accurate"
              : "requested with " + request.source() + "=native");
    }
    String oneDnnFault = firstFault(differentiator);
    if (oneDnnFault == null) {
      return new Selection(Kernels.ONEDNN, "matches float64 in the self-check", Nnpack.ON);
    }
    if (request.mode().equals("onednn")) {
      LOG.error(
          "oneDNN's float32 convolutions are wrong on this CPU ({}), and {}=onednn keeps them:"
              + " float32 results with convolutional models cannot be trusted",
          oneDnnFault,
          request.source());
      return new Selection(Kernels.ONEDNN, "requested, although " + oneDnnFault, Nnpack.ON);
    }
    LOG.warn(
        "oneDNN's float32 convolutions are wrong on this CPU ({}); BOML uses libtorch's native"
            + " convolutions instead (docs/reliability.md, Host numerics)",
        oneDnnFault);
    return useNative(differentiator, "oneDNN failed the self-check: " + oneDnnFault);
  }

  /**
   * Switches libtorch to its native convolutions, with NNPACK as {@link #nnpackFor} says for this
   * process's intra-op threads, and checks them against float64.
   *
   * @param reason why they are used, for the selection
   * @return the selection, whose reason also names the native kernels' fault if they have one
   */
  private static Selection useNative(TorchDifferentiator differentiator, String reason) {
    LibtorchSwitch.ONEDNN.enable(false);
    Nnpack nnpack = nnpackFor(LibtorchSwitch.intraOpThreads(), LibtorchSwitch.nnpackSupported());
    LibtorchSwitch.NNPACK.enable(nnpack == Nnpack.ON);
    String fault = firstFault(differentiator);
    if (fault == null) {
      return new Selection(Kernels.NATIVE, reason, nnpack);
    }
    LOG.error(
        "libtorch's native float32 convolutions are wrong on this CPU ({}); train convolutional"
            + " models in float64",
        fault);
    return new Selection(Kernels.NATIVE, reason + "; native kernels: " + fault, nnpack);
  }

  /**
   * The first disagreement of libtorch's float32 convolutions with float64 over every case, or
   * {@code null} if none.
   *
   * @param differentiator the differentiator the gradients are computed with
   * @return a description of the first fault, or {@code null}
   */
  static String firstFault(TorchDifferentiator differentiator) {
    return firstFault(differentiator, ConvolutionKernels::libtorch);
  }

  /**
   * The first disagreement of a convolution's float32 results with its float64 results over every
   * case, or {@code null} if none.
   *
   * @param differentiator the differentiator the gradients are computed with
   * @param convolution the convolution checked
   * @return a description of the first fault, or {@code null}
   */
  static String firstFault(TorchDifferentiator differentiator, Convolution convolution) {
    for (Case c : CASES) {
      String fault = c.fault(differentiator, convolution);
      if (fault != null) {
        return fault;
      }
    }
    return null;
  }

  private static NDArray libtorch(NDArray input, NDArray weight, Shape padding) {
    Shape ones = new Shape(1, 1);
    return Conv2d.conv2d(input, weight, null, ones, padding, ones, 1).singletonOrThrow();
  }

  /** A two-dimensional convolution with unit stride and dilation, no bias and one group. */
  @FunctionalInterface
  interface Convolution {
    /**
     * The convolution.
     *
     * @param input {@code (N, in, H, W)}
     * @param weight {@code (out, in, k, k)}
     * @param padding the zero padding of each side
     * @return {@code (N, out, H', W')}
     */
    NDArray apply(NDArray input, NDArray weight, Shape padding);
  }

  /** One convolution of the check: input and output channels, kernel size, image side, batch. */
  private record Case(int in, int out, int kernel, int side, int batch) {
    private static final String[] QUANTITIES = {
      "forward pass",
      "gradient to the input",
      "gradient to the weight",
      "second derivative to the input",
      "second derivative to the weight"
    };

    String fault(TorchDifferentiator differentiator, Convolution convolution) {
      try (NDManager manager = NDManager.newBaseManager()) {
        List<NDArray> single = evaluate(differentiator, convolution, manager, DataType.FLOAT32);
        List<NDArray> reference = evaluate(differentiator, convolution, manager, DataType.FLOAT64);
        for (int i = 0; i < single.size(); i++) {
          double error = relativeError(single.get(i), reference.get(i));
          if (!(error <= TOLERANCE)) {
            return String.format(
                Locale.ROOT,
                "%dx%d convolution %d->%d channels, batch %d, %s: relative error %.2g against"
                    + " float64",
                kernel,
                kernel,
                in,
                out,
                batch,
                QUANTITIES[i],
                error);
          }
        }
        return null;
      }
    }

    /**
     * The convolution, its vector-Jacobian products with respect to input and weight, and the
     * gradient of a random linear function of those products (the double backward of MAML).
     */
    private List<NDArray> evaluate(
        TorchDifferentiator differentiator,
        Convolution convolution,
        NDManager manager,
        DataType type) {
      SplittableRandom random = new SplittableRandom(in * 1000L + out * 10L + kernel);
      Shape inputShape = new Shape(batch, in, side, side);
      Shape weightShape = new Shape(out, in, kernel, kernel);
      NDArray input = differentiator.leaf(uniform(manager, random, inputShape, type));
      NDArray weight = differentiator.leaf(uniform(manager, random, weightShape, type));
      NDArray output = convolution.apply(input, weight, new Shape(kernel / 2, kernel / 2));
      NDArray cotangent = uniform(manager, random, output.getShape(), type);
      List<NDArray> first =
          differentiator.vjp(List.of(output), List.of(cotangent), List.of(input, weight), true);
      NDArray u = uniform(manager, random, inputShape, type);
      NDArray v = uniform(manager, random, weightShape, type);
      NDArray mixed = first.get(0).mul(u).sum().add(first.get(1).mul(v).sum());
      List<NDArray> second = differentiator.gradient(mixed, List.of(input, weight), false);
      List<NDArray> results = new ArrayList<>(List.of(output, first.get(0), first.get(1)));
      results.addAll(second);
      return results;
    }

    /** Values uniform in [-1, 1), the same for both types, in memory libtorch owns. */
    private static NDArray uniform(
        NDManager manager, SplittableRandom random, Shape shape, DataType type) {
      double[] values = new double[Math.toIntExact(shape.size())];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextDouble(-1, 1);
      }
      try (NDArray javaBacked = manager.create(values, shape)) {
        return javaBacked.toType(type, true).duplicate();
      }
    }

    private static double relativeError(NDArray single, NDArray reference) {
      NDArray wide = single.toType(DataType.FLOAT64, true);
      double difference = wide.sub(reference).abs().max().getDouble();
      double scale = reference.abs().max().getDouble();
      return difference / Math.max(scale, Double.MIN_NORMAL);
    }
  }
}
