package org.boml.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.IterationModule;
import org.boml.api.MetaSplit;
import org.boml.api.Model;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngine;
import org.boml.runtime.plugin.PluginException;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.problem.HeadWidening;
import org.boml.runtime.problem.SupervisedProblem;

/**
 * Runs one task of a {@link MetaLearner}: samples it (fixed by its seed), copies the
 * meta-parameters to the task's device, and computes its hypergradient or adapts to it, each task
 * in a native-memory scope of its own (an {@link NDManager} in try-with-resources) that frees its
 * data, graph and activations when the task ends. An exception from a plugin comes out as a {@link
 * PluginException} naming the iteration and task, the plugins with their versions and jars, and the
 * frame that threw.
 *
 * @param parts the learner's parts
 * @param engine the compute engine
 * @param meta the learner's meta-parameters, which each task copies
 */
record TaskRunner(LearnerParts parts, ComputeEngine engine, Variables meta) {
  private static final Logger LOG = LogManager.getLogger(TaskRunner.class);

  /**
   * The hypergradient of training task {@code index} of an iteration, kept in {@code parent}; the
   * task's query accuracy goes to {@code accuracies[index]}. The task's upper pass goes through
   * {@code gate}, which it leaves at the latest once the task's memory is freed.
   */
  Hypergradient solve(
      NDManager parent,
      int iteration,
      int index,
      Device device,
      double[] accuracies,
      UpperPassGate gate) {
    String where = "iteration " + (iteration + 1) + ", task " + index;
    Method method = parts.method();
    int steps = parts.config().innerSteps();
    try (NDManager taskManager = parent.newSubManager(device)) {
      TrainingTask training = trainingTask(taskManager, iteration, index, where);
      try {
        Hypergradient result =
            method
                .hypergradient()
                .compute(
                    gate.guard(training.problem()),
                    new InnerLoopProgress(
                        method.dynamics(), where, steps, System::nanoTime, LOG::info),
                    training.x(),
                    steps,
                    gate.guard(engine.differentiator()));
        accuracies[index] = training.problem().metricAtUpperObjective(result.upperObjective());
        // Keep the gradient; the task's data, graph and activations are freed now rather than at
        // the end of the meta-iteration, so that at most one task per worker holds its graph.
        result.gradient().values().forEach(g -> g.attach(parent));
        return result;
      } catch (RuntimeException e) {
        throw fault(where, method.toString(), e);
      }
    } finally {
      gate.leave();
    }
  }

  /** A training task's problem, and a copy of the meta-parameters that its gradients reach. */
  record TrainingTask(Variables x, SupervisedProblem problem) {}

  /**
   * Samples training task {@code index} of an iteration into a task manager, the thread prepared.
   */
  TrainingTask trainingTask(NDManager taskManager, int iteration, int index, String where) {
    engine.prepareThread();
    long taskSeed = Seeds.task(parts.config().seed(), iteration, index);
    Task task = sample(MetaSplit.TRAIN, taskSeed, taskManager, where);
    Variables x =
        meta.map(
            value -> {
              NDArray leaf = taskCopy(value, taskManager);
              leaf.setRequiresGradient(true);
              return leaf;
            });
    return new TrainingTask(
        x,
        new SupervisedProblem(
            parts.model(),
            task,
            parts.dataset().taskKind(),
            parts.layout(),
            taskManager,
            taskSeed));
  }

  /**
   * Adapts to an evaluation task on its training split, the dynamics never seeing its validation
   * labels ({@link SupervisedProblem#withoutValidationLabels()}).
   *
   * @return the metric before and after adaptation and the upper objective after it
   */
  double[] evaluate(NDManager root, MetaSplit split, long taskSeed, int index, Device device) {
    try (NDManager taskManager = root.newSubManager(device)) {
      engine.prepareThread();
      String where = "evaluation task " + index;
      Task task = sample(split, taskSeed, taskManager, where);
      Model model = modelFor(task);
      Variables x = HeadWidening.widen(meta, model).map(value -> taskCopy(value, taskManager));
      SupervisedProblem problem =
          new SupervisedProblem(
              model,
              task,
              parts.dataset().taskKind(),
              parts.layout().forModel(model),
              taskManager,
              taskSeed);
      SupervisedProblem adaptation = problem.withoutValidationLabels();
      IterationModule dynamics = parts.method().dynamics();
      Differentiator differentiator = engine.differentiator();
      try {
        Variables y = dynamics.initialize(x, adaptation, differentiator);
        double before = problem.validationMetric(x, y);
        for (int t = 0; t < parts.config().innerSteps(); t++) {
          y = dynamics.step(t, x, y, adaptation, differentiator, false);
        }
        double loss = problem.upperObjective(x, y).toType(DataType.FLOAT64, false).getDouble();
        return new double[] {before, problem.validationMetric(x, y), loss};
      } catch (RuntimeException e) {
        throw fault(where, "adaptation with " + parts.method().dynamicsIdentity(), e);
      }
    }
  }

  /** The model for a task's number of classes: the trained one, or one built for M classes. */
  private Model modelFor(Task task) {
    Model model = parts.model();
    if (parts.dataset().taskKind() != TaskKind.CLASSIFICATION) {
      return model;
    }
    int classes =
        Math.toIntExact(task.train().targets().max().toType(DataType.INT64, false).getLong() + 1);
    if (classes == HeadWidening.outputs(model)) {
      return model;
    }
    if (parts.modelForOutputs() == null) {
      throw new IllegalStateException(
          "a task has "
              + classes
              + " classes but the model has "
              + HeadWidening.outputs(model)
              + " outputs; give the builder a modelForOutputs factory");
    }
    return parts.modelForOutputs().apply(classes);
  }

  /** Samples a task of a split, its floating-point arrays in the learner's data type. */
  Task sample(MetaSplit split, long taskSeed, NDManager manager, String where) {
    Task task;
    try {
      task = parts.dataset().sample(split, taskSeed, manager);
    } catch (RuntimeException e) {
      throw fault(
          where,
          "sampling the task from " + PluginIdentity.of("dataset", null, parts.dataset()),
          e);
    }
    return new Task(convert(task.train()), convert(task.validation()));
  }

  private Split convert(Split split) {
    boolean regression = parts.dataset().taskKind() == TaskKind.REGRESSION;
    NDArray targets = split.targets();
    return new Split(toDataType(split.inputs()), regression ? toDataType(targets) : targets);
  }

  private NDArray toDataType(NDArray array) {
    DataType type = parts.config().dataType();
    return array.getDataType() == type ? array : array.toType(type, false);
  }

  /**
   * A private copy on the task's device; duplicate() where it is the same (toDevice would alias).
   */
  private static NDArray taskCopy(NDArray value, NDManager taskManager) {
    Device device = taskManager.getDevice();
    NDArray copy =
        value.getDevice().equals(device) ? value.duplicate() : value.toDevice(device, true);
    copy.attach(taskManager);
    return copy;
  }

  /**
   * An exception thrown inside a plugin, with where it happened, which plugin and where it was
   * thrown.
   */
  static PluginException fault(String where, String what, RuntimeException error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StackTraceElement[] frames = root.getStackTrace();
    return new PluginException(
        where
            + ": "
            + what
            + " failed: "
            + error.getMessage()
            + " ("
            + root.getClass().getName()
            + (frames.length > 0 ? " at " + frames[0] : "")
            + ")",
        error);
  }
}
