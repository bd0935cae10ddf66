package org.boml.runtime.autodiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.engine.pytorch.Engines;

/**
 * {@link Differentiator} on DJL's PyTorch engine, through a TorchScript {@code torch.autograd.grad}
 * helper (see {@link AutogradArchive}).
 *
 * <p>Unlike {@code backward(create_graph=true)} this never writes {@code .grad}, so there is no
 * parameter-gradient reference cycle (no leak), nothing accumulates and nothing needs zeroing, and
 * it differentiates with respect to non-leaf arrays. The helper is invoked through the JNI entry
 * point that runs a module method with autograd enabled and without touching array names, which
 * makes concurrent calls from several threads safe. One instance serves the whole JVM.
 */
public final class TorchDifferentiator implements Differentiator {
  private static volatile TorchDifferentiator instance;

  private final PtSymbolBlock helper;
  private final NativeCall nativeCall;

  private TorchDifferentiator() {
    Engines.pytorch();
    PtNDManager owner = (PtNDManager) NDManager.newBaseManager().newSubManager();
    try {
      helper =
          JniUtils.loadModule(
              owner, new ByteArrayInputStream(AutogradArchive.bytes()), false, false);
    } catch (IOException e) {
      throw new UncheckedIOException("libtorch could not load the autograd helper", e);
    }
    nativeCall = NativeCall.locate();
  }

  /**
   * The JVM-wide instance; the first call starts the engine, sets the level of libtorch's C++ log
   * ({@link LibtorchLogging}) and chooses the float32 convolution kernels that are correct on this
   * host ({@link ConvolutionKernels}).
   *
   * @return the differentiator
   */
  public static TorchDifferentiator get() {
    TorchDifferentiator result = instance;
    if (result == null) {
      synchronized (TorchDifferentiator.class) {
        result = instance;
        if (result == null) {
          result = new TorchDifferentiator();
          LibtorchLogging.configure();
          ConvolutionKernels.select(result);
          instance = result;
        }
      }
    }
    return result;
  }

  @Override
  public List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph) {
    return differentiate(outputs, cotangents, wrt, createGraph, true);
  }

  /**
   * Differentiates with {@code torch.autograd.grad}.
   *
   * @param retainGraph false frees the graph's saved arrays as the backward pass consumes them
   */
  private List<NDArray> differentiate(
      List<NDArray> outputs,
      List<NDArray> cotangents,
      List<NDArray> wrt,
      boolean createGraph,
      boolean retainGraph) {
    if (outputs.isEmpty() || outputs.size() != cotangents.size()) {
      throw new IllegalArgumentException(
          outputs.size() + " outputs but " + cotangents.size() + " cotangents");
    }
    for (int i = 0; i < outputs.size(); i++) {
      if (!outputs.get(i).getShape().equals(cotangents.get(i).getShape())) {
        throw new IllegalArgumentException(
            "cotangent "
                + i
                + " has shape "
                + cotangents.get(i).getShape()
                + " but its output has shape "
                + outputs.get(i).getShape());
      }
    }
    if (wrt.isEmpty()) {
      return List.of();
    }
    PtNDManager manager = (PtNDManager) outputs.get(0).getManager();
    List<NDArray> gradients;
    try (IValue outs = IValue.listFrom(asPt(outputs));
        IValue seeds = IValue.listFrom(asPt(cotangents));
        IValue inputs = IValue.listFrom(asPt(wrt));
        IValue create = IValue.from(createGraph);
        IValue retain = IValue.from(retainGraph)) {
      long[] args = {
        outs.getHandle(),
        seeds.getHandle(),
        inputs.getHandle(),
        create.getHandle(),
        retain.getHandle()
      };
      try (IValue result = nativeCall.run(helper.getHandle(), "forward", args)) {
        gradients = Arrays.asList(result.toTensorArray(manager));
      }
    }
    if (gradients.size() != wrt.size()) {
      // the helper answers an empty list, without differentiating, when an input is not tracked
      throw untracked(wrt);
    }
    return gradients;
  }

  private IllegalArgumentException untracked(List<NDArray> wrt) {
    List<Boolean> tracked = requiresGradient(wrt);
    int index = tracked.indexOf(false);
    return new IllegalArgumentException(
        "cannot differentiate with respect to an array that takes no part in autograd "
            + (index < 0 ? "" : "(wrt " + index + ", shape " + wrt.get(index).getShape() + ")")
            + "; pass it through Differentiator.track() or leaf() before using it");
  }

  @Override
  public List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph) {
    return differentiateScalar(scalar, wrt, createGraph, true);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here {@code torch.autograd.grad} with {@code retain_graph=False}: libtorch drops each node's
   * saved tensors once the backward pass has run it.
   */
  @Override
  public List<NDArray> finalGradient(NDArray scalar, List<NDArray> wrt) {
    return differentiateScalar(scalar, wrt, false, false);
  }

  private List<NDArray> differentiateScalar(
      NDArray scalar, List<NDArray> wrt, boolean createGraph, boolean retainGraph) {
    if (scalar.getShape().size() != 1) {
      throw new IllegalArgumentException(
          "gradient() needs a scalar but got shape " + scalar.getShape());
    }
    try (NDArray one = scalar.onesLike()) {
      return differentiate(List.of(scalar), List.of(one), wrt, createGraph, retainGraph);
    }
  }

  @Override
  public NDArray track(NDArray array) {
    return requiresGradient(List.of(array)).get(0) ? array : leaf(array);
  }

  /**
   * Which arrays take part in autograd (are leaves that require a gradient or results of operations
   * on such arrays).
   *
   * @param arrays the arrays
   * @return one flag per array
   */
  public List<Boolean> requiresGradient(List<NDArray> arrays) {
    try (IValue list = IValue.listFrom(asPt(arrays));
        IValue flags =
            nativeCall.run(helper.getHandle(), "requires_grad", new long[] {list.getHandle()})) {
      boolean[] values = flags.toBooleanArray();
      List<Boolean> result = new ArrayList<>(values.length);
      for (boolean value : values) {
        result.add(value);
      }
      return result;
    }
  }

  @Override
  public NDArray leaf(NDArray array) {
    NDArray copy = array.duplicate();
    copy.setRequiresGradient(true);
    return copy;
  }

  @Override
  public NDArray constant(NDManager manager, double value, DataType dataType) {
    try (NDArray javaBacked = manager.create(value)) {
      // duplicate() copies into memory that libtorch owns; the Java-backed array can then close.
      return javaBacked.toType(dataType, true).duplicate();
    }
  }

  private static PtNDArray[] asPt(List<NDArray> arrays) {
    List<PtNDArray> result = new ArrayList<>(arrays.size());
    for (NDArray array : arrays) {
      result.add((PtNDArray) array);
    }
    return result.toArray(new PtNDArray[0]);
  }

  /** The package-private JNI entry point that runs a TorchScript method with autograd on. */
  private static final class NativeCall {
    private final Object library;
    private final Method runMethod;
    private final Constructor<IValue> wrap;

    private NativeCall(Object library, Method runMethod, Constructor<IValue> wrap) {
      this.library = library;
      this.runMethod = runMethod;
      this.wrap = wrap;
    }

    static NativeCall locate() {
      try {
        Class<?> type = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        java.lang.reflect.Field field = type.getDeclaredField("LIB");
        field.setAccessible(true);
        Method run =
            type.getDeclaredMethod(
                "moduleRunMethod",
                long.class,
                String.class,
                long[].class,
                boolean.class,
                boolean.class);
        run.setAccessible(true);
        Constructor<IValue> wrap = IValue.class.getDeclaredConstructor(long.class);
        wrap.setAccessible(true);
        return new NativeCall(field.get(null), run, wrap);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException(
            "this version of DJL's PyTorch engine lacks PyTorchLibrary.moduleRunMethod;"
                + " BOML needs ai.djl.pytorch:pytorch-engine 0.36.0",
            e);
      }
    }

    IValue run(long module, String method, long[] args) {
      try {
        // isTrain = true: no inference-mode or no-grad guard around the call.
        long handle = (Long) runMethod.invoke(library, module, method, args, true, false);
        return wrap.newInstance(handle);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(cause);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
