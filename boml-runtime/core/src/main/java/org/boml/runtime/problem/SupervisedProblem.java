package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.BilevelProblem;
import org.boml.api.Model;
import org.boml.api.ParameterSpec;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;

/**
 * The bilevel problem of one supervised task: {@code f(x, y) = loss(model(x u y), train)} and
 * {@code F(x, y) = loss(model(x u y), validation)}, where the model's parameters are split between
 * {@code x} and {@code y} by the {@link Family}. The model sees the base parameters of {@code y}
 * only, never the dynamics' own state.
 */
public final class SupervisedProblem implements BilevelProblem {
  private final Model model;
  private final Task task;
  private final TaskKind kind;
  private final Family family;
  private final NDManager manager;
  private final Split upperSplit;
  private final List<double[]> upperMetrics = Collections.synchronizedList(new ArrayList<>());
  private final ParameterLayout layout;
  private final Set<String> initialNames;
  private final long seed;

  /**
   * A problem for one task.
   *
   * @param model the model
   * @param task the task's data
   * @param kind decides the loss
   * @param family decides which parameters are adapted
   * @param manager the task's manager
   */
  public SupervisedProblem(
      Model model, Task task, TaskKind kind, Family family, NDManager manager) {
    this(model, task, kind, ParameterLayout.of(model, family, Optional.empty()), manager, 0);
  }

  /**
   * A problem for one task whose meta-parameters include what a method adds to the model.
   *
   * @param model the model
   * @param task the task's data
   * @param kind decides the loss
   * @param layout which parameters are adapted, with the method's added parameters and hook; must
   *     be the layout of this model
   * @param manager the task's manager
   * @param seed the task's seed ({@link #seed()})
   */
  public SupervisedProblem(
      Model model, Task task, TaskKind kind, ParameterLayout layout, NDManager manager, long seed) {
    this.model = model;
    this.task = task;
    this.kind = kind;
    this.family = layout.family();
    this.manager = manager;
    this.upperSplit = task.validation();
    this.layout = layout;
    this.initialNames = baseAndAdaptedAdded(model, layout);
    this.seed = seed;
  }

  private SupervisedProblem(SupervisedProblem problem) {
    this.model = problem.model;
    this.task = problem.task;
    this.kind = problem.kind;
    this.family = problem.family;
    this.manager = problem.manager;
    this.upperSplit = problem.task.train();
    this.layout = problem.layout;
    this.initialNames = problem.initialNames;
    this.seed = problem.seed;
  }

  /** The names of y_0: the adapted model parameters and the adapted added ones. */
  private static Set<String> baseAndAdaptedAdded(Model model, ParameterLayout layout) {
    return Stream.concat(baseNames(model, layout.family()).stream(), layout.adaptedAdded().stream())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The same problem with the validation labels hidden: its upper objective is measured on the
   * training split. Evaluation adapts with it, so that dynamics that also descend the upper
   * objective (such as BDA) never see the examples they are scored on.
   *
   * @return the problem for adaptation at evaluation time
   */
  public SupervisedProblem withoutValidationLabels() {
    return new SupervisedProblem(this);
  }

  /**
   * The names of the base parameters {@code y} of a model in a family.
   *
   * @param model the model
   * @param family the family
   * @return the adapted parameter names
   */
  public static Set<String> baseNames(Model model, Family family) {
    return model.parameterSpecs().stream()
        .filter(p -> family == Family.META_INITIALIZATION || ParameterSpec.HEAD.equals(p.group()))
        .map(ParameterSpec::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The names of the meta-parameters {@code x} of a model in a family.
   *
   * @param model the model
   * @param family the family
   * @return the meta-parameter names
   */
  public static Set<String> metaNames(Model model, Family family) {
    Set<String> base = baseNames(model, family);
    return model.parameterSpecs().stream()
        .map(ParameterSpec::name)
        .filter(name -> family == Family.META_INITIALIZATION || !base.contains(name))
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    return loss(x, y, task.train());
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    NDArray loss;
    // The forward pass's intermediate arrays (the activations of the whole query batch) are closed
    // here; the graph keeps what its backward pass needs, so a hypergradient that takes the final
    // gradient of F frees them as its backward pass goes (Differentiator.finalGradient).
    try (NDScope scope = new NDScope()) {
      NDArray predictions = predict(x, y, upperSplit);
      loss = Losses.loss(kind, predictions, upperSplit.targets());
      if (kind == TaskKind.CLASSIFICATION) {
        upperMetrics.add(
            new double[] {
              loss.toType(DataType.FLOAT64, false).getDouble(),
              Losses.metric(kind, predictions, upperSplit.targets())
            });
      }
      NDScope.unregister(loss);
    }
    NDScope.register(loss); // to an enclosing scope, if there is one
    return loss;
  }

  /**
   * For classification, the accuracy of the predictions from which an upper objective of the given
   * value was computed: the latest evaluation of {@link #upperObjective} with exactly that value,
   * else the latest evaluation (a hypergradient module that reports another value, such as a mean
   * over the trajectory, last evaluates {@code F} at {@code y_T}). This is how the training loop
   * reports the adapted models' accuracy without adapting them a second time.
   *
   * @param upperObjective the value a hypergradient module reported for {@code F(x, y_T)}
   * @return the accuracy, or {@code NaN} for regression or when {@code F} was never evaluated
   */
  public double metricAtUpperObjective(double upperObjective) {
    synchronized (upperMetrics) {
      for (int i = upperMetrics.size() - 1; i >= 0; i--) {
        if (upperMetrics.get(i)[0] == upperObjective) {
          return upperMetrics.get(i)[1];
        }
      }
      return upperMetrics.isEmpty() ? Double.NaN : upperMetrics.get(upperMetrics.size() - 1)[1];
    }
  }

  @Override
  public Variables initialBase(Variables x) {
    return modelBase(x).merge(x.select(layout.adaptedAdded()::contains));
  }

  @Override
  public long seed() {
    return seed;
  }

  private Variables modelBase(Variables x) {
    Set<String> base = baseNames(model, family);
    if (family == Family.META_INITIALIZATION) {
      return x.select(base::contains);
    }
    return Variables.of(
        model.parameterSpecs().stream()
            .filter(p -> base.contains(p.name()))
            .collect(
                java.util.stream.Collectors.toMap(
                    ParameterSpec::name,
                    p -> manager.zeros(p.shape(), x.values().get(0).getDataType()),
                    (a, b) -> a,
                    java.util.LinkedHashMap::new)));
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  /**
   * The metric on the validation split at the given parameters.
   *
   * @param x the meta-parameters
   * @param y the base parameters
   * @return MSE or accuracy
   */
  public double validationMetric(Variables x, Variables y) {
    return Losses.metric(kind, predict(x, y, task.validation()), task.validation().targets());
  }

  private NDArray loss(Variables x, Variables y, Split split) {
    return Losses.loss(kind, predict(x, y, split), split.targets());
  }

  /**
   * The model at {@code y u (x \ y)}: adapted values win over their initial values in x; the
   * dynamics' own state in {@code y} (a velocity, moments, masks) is not passed on.
   */
  private NDArray predict(Variables x, Variables y, Split split) {
    Variables base = y.select(initialNames::contains);
    Variables params = base.merge(x.select(name -> !base.contains(name)));
    return model.forward(params, split.inputs(), true, layout.hook(params, true));
  }
}
