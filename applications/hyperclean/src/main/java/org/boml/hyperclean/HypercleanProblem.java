package org.boml.hyperclean;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.runtime.problem.Bilevel;

/**
 * Data hyper-cleaning as a bilevel problem (Franceschi et al., ICML 2017, section 5.1): softmax
 * regression {@code y = (W, b)} trained on a corrupted training set whose examples carry weights
 * {@code sigmoid(lambda_i)}; the hyperparameters {@code x = lambda} are learned so that the trained
 * model does well on a clean validation set:
 *
 * <pre>
 *   f(lambda, y) = mean_i sigmoid(lambda_i) CE(W^T a_i + b, label_i)      (training set)
 *   F(lambda, y) = mean_j CE(W^T v_j + b, label_j)                         (validation set)
 *   y_0 = (W = 0, b = 0)
 * </pre>
 *
 * The problem owns its arrays (in one manager, of one floating-point type) and is closed with it.
 */
public final class HypercleanProblem implements AutoCloseable {
  /** The hyperparameters: one weight logit {@code lambda_i} per training example. */
  public static final String LOGITS = "lambda";

  /** The fixed per-example weights of {@link #withFixedWeights()}. */
  public static final String WEIGHTS = "weights";

  /** The weight matrix of the softmax regression, {@code (features, classes)}. */
  public static final String WEIGHT = "W";

  /** The bias of the softmax regression, {@code (classes)}. */
  public static final String BIAS = "b";

  private final NDManager manager;
  private final int classes;
  private final Split train;
  private final Split validation;
  private final Split test;

  /** Inputs {@code (N, features)} and int64 labels {@code (N)}. */
  private record Split(NDArray images, NDArray labels) {}

  private HypercleanProblem(
      NDManager manager, int classes, Split train, Split validation, Split test) {
    this.manager = manager;
    this.classes = classes;
    this.train = train;
    this.validation = validation;
    this.test = test;
  }

  /**
   * The problem of a hyper-cleaning data set.
   *
   * @param data the data
   * @param parent the manager whose child will own the arrays
   * @param type a floating-point type for images, parameters and losses
   * @return the problem
   */
  public static HypercleanProblem of(HypercleanData data, NDManager parent, DataType type) {
    return of(
        parent,
        type,
        data.features(),
        data.classes(),
        new float[][] {data.trainImages(), data.validationImages(), data.testImages()},
        new int[][] {data.noisyLabels(), data.validationLabels(), data.testLabels()});
  }

  /**
   * A problem from raw arrays (e.g. a few examples with a few pixels, for tests).
   *
   * @param parent the manager whose child will own the arrays
   * @param type a floating-point type
   * @param features the inputs per example
   * @param classes the number of classes
   * @param images the training, validation and test inputs, each {@code N * features} values
   * @param labels the training, validation and test labels, each in {@code [0, classes)}
   * @return the problem
   */
  public static HypercleanProblem of(
      NDManager parent,
      DataType type,
      int features,
      int classes,
      float[][] images,
      int[][] labels) {
    if (!type.isFloating()) {
      throw new IllegalArgumentException("a floating-point type is required, got " + type);
    }
    if (images.length != 3 || labels.length != 3) {
      throw new IllegalArgumentException("give training, validation and test sets, in that order");
    }
    NDManager manager = parent.newSubManager();
    try {
      Split[] splits = new Split[3];
      for (int s = 0; s < 3; s++) {
        int count = labels[s].length;
        if (images[s].length != count * features) {
          throw new IllegalArgumentException(
              "set "
                  + s
                  + " has "
                  + count
                  + " labels but "
                  + images[s].length
                  + " input values, not "
                  + count * features);
        }
        long[] wide = new long[count];
        for (int i = 0; i < count; i++) {
          if (labels[s][i] < 0 || labels[s][i] >= classes) {
            throw new IllegalArgumentException(
                "label " + labels[s][i] + " of example " + i + " is not in [0, " + classes + ")");
          }
          wide[i] = labels[s][i];
        }
        splits[s] =
            new Split(
                engineOwned(manager.create(images[s], new Shape(count, features)), type),
                engineOwned(manager.create(wide), DataType.INT64));
      }
      return new HypercleanProblem(manager, classes, splits[0], splits[1], splits[2]);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * The number of training examples, which is the number of hyperparameters.
   *
   * @return the count
   */
  public int trainCount() {
    return Math.toIntExact(train.labels().size());
  }

  /**
   * The floating-point type of the problem.
   *
   * @return the type
   */
  public DataType dataType() {
    return train.images().getDataType();
  }

  /**
   * The manager that owns the data.
   *
   * @return the manager
   */
  public NDManager manager() {
    return manager;
  }

  /**
   * The hyper-cleaning problem: {@code x = {lambda}}, weights {@code sigmoid(lambda)}.
   *
   * @return the definition
   */
  public Bilevel bilevel() {
    return weighted(x -> Activation.sigmoid(x.get(LOGITS)));
  }

  /**
   * The same lower level with the weights given directly, {@code x = {weights}}, to train a model
   * with chosen weights (all ones for the unweighted baseline, the clean indicator for the oracle).
   *
   * @return the definition
   */
  public Bilevel withFixedWeights() {
    return weighted(x -> x.get(WEIGHTS));
  }

  private Bilevel weighted(Function<Variables, NDArray> weightsOf) {
    return Bilevel.of(
        (x, y) -> weightsOf.apply(x).mul(perExampleLoss(train, y)).mean(),
        (x, y) -> perExampleLoss(validation, y).mean(),
        this::initialBase);
  }

  /**
   * Zero logits, i.e. weights 1/2, the starting hyperparameters (as in BOML and hypertorch).
   *
   * @param owner the manager of the new array
   * @return {@code lambda = 0}
   */
  public Variables zeroLogits(NDManager owner) {
    return Variables.of(Map.of(LOGITS, owner.zeros(new Shape(trainCount()), dataType())));
  }

  /**
   * Fixed per-example weights, for {@link #withFixedWeights()}.
   *
   * @param owner the manager of the new array
   * @param weights one weight per training example
   * @return {@code x = {weights}}
   */
  public Variables fixedWeights(NDManager owner, float[] weights) {
    if (weights.length != trainCount()) {
      throw new IllegalArgumentException(
          weights.length + " weights for " + trainCount() + " training examples");
    }
    return Variables.of(Map.of(WEIGHTS, engineOwned(owner.create(weights), dataType())));
  }

  /**
   * A copy in memory that the engine owns, of the given type; closes the array made from Java data,
   * whose buffer a graph must never point at (see {@link Differentiator#constant}).
   */
  private static NDArray engineOwned(NDArray javaBacked, DataType type) {
    // toType may return an alias of the Java-backed memory (same type); duplicate() clones it
    try (javaBacked;
        NDArray converted = javaBacked.toType(type, false)) {
      return converted.duplicate();
    }
  }

  /**
   * Trains the model by {@code T} steps of the dynamics from {@code y_0 = 0} and measures it.
   *
   * @param definition {@link #bilevel()} or {@link #withFixedWeights()}
   * @param x its hyperparameters
   * @param dynamics the lower-level dynamics
   * @param steps {@code T}
   * @param differentiator the runtime's autodiff
   * @return the validation loss and the test accuracy of {@code y_T}
   */
  public Fit fit(
      Bilevel definition,
      Variables x,
      IterationModule dynamics,
      int steps,
      Differentiator differentiator) {
    // every array made here, whichever manager it is attached to, is closed with the scope
    try (NDScope arrays = new NDScope();
        NDManager scope = manager.newSubManager()) {
      arrays.suppressNotUsedWarning();
      BilevelProblem problem = definition.in(scope);
      Variables y = dynamics.initialize(x, problem, differentiator);
      for (int t = 0; t < steps; t++) {
        y = dynamics.step(t, x, y, problem, differentiator, false);
      }
      double loss =
          perExampleLoss(validation, y).mean().toType(DataType.FLOAT64, false).getDouble();
      double accuracy =
          logits(test, y)
              .argMax(1)
              .eq(test.labels())
              .toType(DataType.FLOAT64, false)
              .mean()
              .getDouble();
      return new Fit(loss, accuracy);
    }
  }

  /**
   * What a trained model achieves.
   *
   * @param validationLoss the mean cross-entropy on the validation set
   * @param testAccuracy the fraction of test examples classified correctly
   */
  public record Fit(double validationLoss, double testAccuracy) {}

  private Variables initialBase(Variables x) {
    NDManager owner = x.values().get(0).getManager();
    int features = Math.toIntExact(train.images().getShape().get(1));
    Map<String, NDArray> zeros = new LinkedHashMap<>();
    zeros.put(WEIGHT, owner.zeros(new Shape(features, classes), dataType()));
    zeros.put(BIAS, owner.zeros(new Shape(classes), dataType()));
    return Variables.of(zeros);
  }

  private static NDArray logits(Split split, Variables y) {
    return split.images().matMul(y.get(WEIGHT)).add(y.get(BIAS));
  }

  /** {@code CE_i = -log softmax(W^T a_i + b)[label_i]}, one per example. */
  private static NDArray perExampleLoss(Split split, Variables y) {
    return logits(split, y)
        .logSoftmax(1)
        .gather(split.labels().reshape(-1, 1), 1)
        .reshape(-1)
        .neg();
  }

  @Override
  public void close() {
    manager.close();
  }
}
