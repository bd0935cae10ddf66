package org.boml.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.boml.api.IterationModule;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.OwnedArrays;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.plugins.standardmodels.ResNet;
import org.boml.runtime.problem.Family;
import org.boml.runtime.problem.ParameterLayout;
import org.boml.runtime.problem.SupervisedProblem;

/**
 * Small float64 few-shot problems for gradient checks: a sinusoid regression task on an MLP and a
 * random-image classification task on a convolutional network with batch normalization.
 */
public final class CheckProblems {
  private CheckProblems() {}

  /**
   * A problem with its starting meta-parameters.
   *
   * @param problem the bilevel problem
   * @param x meta-parameters, float64, not requiring a gradient
   */
  public record Instance(SupervisedProblem problem, Variables x) {}

  /**
   * A named small problem for a gradient check, with a lower-level learning rate that suits it.
   *
   * @param label what it is, for reports
   * @param family which parameters are meta-parameters
   * @param learningRate a gradient-descent step size that keeps a few steps stable
   * @param extended builds the instance in a manager, with a method's parameters added to {@code x}
   */
  public record Case(
      String label,
      Family family,
      double learningRate,
      BiFunction<NDManager, Optional<ModelExtension>, Instance> extended) {
    /**
     * Builds the instance without any method's parameters.
     *
     * @return {@code manager -> extended(manager, Optional.empty())}
     */
    public Function<NDManager, Instance> factory() {
      return manager -> extended.apply(manager, Optional.empty());
    }

    @Override
    public String toString() {
      return label + ", " + family;
    }
  }

  /**
   * The standard cases: the sinusoid MLP and the tiny conv net, each in both families.
   *
   * @param seed fixes tasks and initializations
   * @return four cases
   */
  public static List<Case> standardCases(long seed) {
    return List.of(
        new Case(
            "sinusoid MLP",
            Family.META_INITIALIZATION,
            0.02,
            (m, e) -> sinusoidMlp(m, Family.META_INITIALIZATION, seed, e)),
        new Case(
            "sinusoid MLP",
            Family.META_FEATURE,
            0.05,
            (m, e) -> sinusoidMlp(m, Family.META_FEATURE, seed, e)),
        new Case(
            "tiny conv net",
            Family.META_INITIALIZATION,
            0.1,
            (m, e) -> tinyConvNet(m, Family.META_INITIALIZATION, seed, e)),
        new Case(
            "tiny conv net",
            Family.META_FEATURE,
            0.5,
            (m, e) -> tinyConvNet(m, Family.META_FEATURE, seed, e)));
  }

  /**
   * One sinusoid task (10 training, 10 validation points) on an MLP 1-16-16-1.
   *
   * @param manager where everything lives
   * @param family which parameters are meta-parameters
   * @param seed fixes task and initialization
   * @return the instance
   */
  public static Instance sinusoidMlp(NDManager manager, Family family, long seed) {
    return sinusoidMlp(manager, family, seed, Optional.empty());
  }

  /**
   * {@link #sinusoidMlp(NDManager, Family, long)} with a method's parameters added to {@code x}.
   *
   * @param manager where everything lives
   * @param family which parameters are meta-parameters
   * @param seed fixes task, initialization and the problem's {@link
   *     org.boml.api.BilevelProblem#seed()}
   * @param extension what the method adds to the model, if anything
   * @return the instance
   */
  public static Instance sinusoidMlp(
      NDManager manager, Family family, long seed, Optional<ModelExtension> extension) {
    Random random = new Random(seed);
    double amplitude = 0.1 + 4.9 * random.nextDouble();
    double phase = Math.PI * random.nextDouble();
    Task task =
        new Task(
            sinusoidPoints(manager, random, amplitude, phase),
            sinusoidPoints(manager, random, amplitude, phase));
    Model model = new Mlp(1, List.of(16, 16), 1);
    return instance(manager, model, task, TaskKind.REGRESSION, family, seed, extension);
  }

  /**
   * One 3-way task of random 1x6x6 images (2 per class for training, 3 for validation) on a
   * two-block convolutional network with 3 filters, batch norm and max-pooling.
   *
   * @param manager where everything lives
   * @param family which parameters are meta-parameters
   * @param seed fixes task and initialization
   * @return the instance
   */
  public static Instance tinyConvNet(NDManager manager, Family family, long seed) {
    return tinyConvNet(manager, family, seed, Optional.empty());
  }

  /**
   * {@link #tinyConvNet(NDManager, Family, long)} with a method's parameters added to {@code x}.
   *
   * @param manager where everything lives
   * @param family which parameters are meta-parameters
   * @param seed fixes task, initialization and the problem's {@link
   *     org.boml.api.BilevelProblem#seed()}
   * @param extension what the method adds to the model, if anything
   * @return the instance
   */
  public static Instance tinyConvNet(
      NDManager manager, Family family, long seed, Optional<ModelExtension> extension) {
    Random random = new Random(seed);
    Task task = new Task(images(manager, random, 3, 2), images(manager, random, 3, 3));
    Model model = new ConvNet(new Shape(1, 6, 6), 2, 3, false, 3);
    return instance(manager, model, task, TaskKind.CLASSIFICATION, family, seed, extension);
  }

  /**
   * One 3-way task of random 1x6x6 images on a residual network of two blocks of width 2 ({@link
   * ResNet}), with a method's parameters added to {@code x}.
   *
   * @param manager where everything lives
   * @param family which parameters are meta-parameters
   * @param seed fixes task, initialization and the problem's seed
   * @param extension what the method adds to the model, if anything
   * @return the instance
   */
  public static Instance tinyResNet(
      NDManager manager, Family family, long seed, Optional<ModelExtension> extension) {
    Random random = new Random(seed);
    Task task = new Task(images(manager, random, 3, 2), images(manager, random, 3, 3));
    Model model = new ResNet(new Shape(1, 6, 6), List.of(2, 2), 3);
    return instance(manager, model, task, TaskKind.CLASSIFICATION, family, seed, extension);
  }

  private static Instance instance(
      NDManager manager,
      Model model,
      Task task,
      TaskKind kind,
      Family family,
      long seed,
      Optional<ModelExtension> extension) {
    ParameterLayout layout = ParameterLayout.of(model, family, extension);
    return new Instance(
        new SupervisedProblem(model, task, kind, layout, manager, seed),
        layout.initialMeta(manager, DataType.FLOAT64, seed));
  }

  /**
   * Meta-parameters with Gaussian noise added to some of them, e.g. to move a method's added
   * parameters away from their symmetric initial values before a gradient check.
   *
   * @param x the meta-parameters, float64
   * @param names which variables get noise
   * @param scale the noise's standard deviation
   * @param seed fixes the noise
   * @return {@code x} with {@code scale * N(0, 1)} added to every entry of the selected variables
   */
  public static Variables jitter(
      Variables x, java.util.function.Predicate<String> names, double scale, long seed) {
    Random random = new Random(seed);
    List<NDArray> values = new java.util.ArrayList<>();
    for (String name : x.names()) {
      NDArray value = x.get(name);
      if (names.test(name)) {
        double[] noise = new double[Math.toIntExact(value.size())];
        for (int i = 0; i < noise.length; i++) {
          noise[i] = scale * random.nextGaussian();
        }
        value = value.add(owned(value.getManager(), noise, value.getShape()));
      }
      values.add(value);
    }
    return x.withValues(values);
  }

  /**
   * Dynamics that pass one base parameter through every step unchanged, as the very same array, and
   * step the others as {@code dynamics} does: for checking that a hypergradient module which frees
   * iterates as it goes does not free an array a later iterate still holds.
   *
   * @param dynamics the steps of the other parameters
   * @param frozen the name of the parameter passed through
   * @return the dynamics
   */
  public static IterationModule passingThrough(IterationModule dynamics, String frozen) {
    return (step, x, y, problem, d, differentiable) -> {
      Variables moved = dynamics.step(step, x, y, problem, d, differentiable);
      return y.withValues(
          y.names().stream()
              .map(name -> name.equals(frozen) ? y.get(name) : moved.get(name))
              .toList());
    };
  }

  static Split sinusoidPoints(NDManager manager, Random random, double amplitude, double phase) {
    double[] inputs = new double[10];
    double[] targets = new double[10];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = -5 + 10 * random.nextDouble();
      targets[i] = amplitude * Math.sin(inputs[i] - phase);
    }
    return new Split(
        owned(manager, inputs, new Shape(10, 1)), owned(manager, targets, new Shape(10, 1)));
  }

  static Split images(NDManager manager, Random random, int classes, int perClass) {
    int n = classes * perClass;
    double[] pixels = new double[n * 36];
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % classes;
      for (int p = 0; p < 36; p++) {
        pixels[i * 36 + p] = random.nextDouble() + 0.3 * labels[i] * ((p % 3) - 1);
      }
    }
    return new Split(owned(manager, pixels, new Shape(n, 1, 6, 6)), manager.create(labels));
  }

  private static NDArray owned(NDManager manager, double[] values, Shape shape) {
    return OwnedArrays.owned(manager.create(values, shape), DataType.FLOAT64);
  }
}
