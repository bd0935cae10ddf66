package org.boml.testkit;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Model;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.plugins.standardmodels.ResNet;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;

/**
 * Tiny meta-datasets for quick training runs in plugin tests, built from the tasks of {@link
 * CheckProblems}: sinusoid regression (10 + 10 points, inputs of shape {@code (1)}) and 3-way
 * classification of random 1x6x6 images (2 + 3 per class). Every task is fixed by its seed.
 */
public final class CheckTasks implements Dataset {
  private final boolean images;

  private CheckTasks(boolean images) {
    this.images = images;
  }

  /**
   * Sinusoid regression tasks, amplitude in [0.1, 5], phase in [0, pi].
   *
   * @return the dataset
   */
  public static CheckTasks sinusoid() {
    return new CheckTasks(false);
  }

  /**
   * 3-way classification tasks of random 1x6x6 images with a class-dependent pattern.
   *
   * @return the dataset
   */
  public static CheckTasks images() {
    return new CheckTasks(true);
  }

  /**
   * A learner for a few quick iterations on these tasks: model {@code mlp} (1-16-16-1 on sinusoid
   * tasks), {@code convnet} (two blocks of 3 filters) or {@code resnet} (two blocks of width 2) on
   * image tasks; 2 inner steps of whatever dynamics are set, meta-batch 2, Adam 1e-3, float32, one
   * worker, seed 0. Set the dynamics and the hypergradient, then build.
   *
   * @param model {@code mlp}, {@code convnet} or {@code resnet}
   * @return the builder
   */
  public static MetaLearnerBuilder learner(String model) {
    Model network =
        switch (model) {
          case "mlp" -> new Mlp(1, List.of(16, 16), 1);
          case "convnet" -> new ConvNet(new Shape(1, 6, 6), 2, 3, false, 3);
          case "resnet" -> new ResNet(new Shape(1, 6, 6), List.of(2, 2), 3);
          default -> throw new IllegalArgumentException("no check model '" + model + "'");
        };
    return MetaLearner.builder()
        .dataset(model.equals("mlp") ? sinusoid() : images())
        .model(network)
        .innerSteps(2)
        .metaBatch(2)
        .dataType(DataType.FLOAT32)
        .workers(1)
        .seed(0);
  }

  /**
   * Trains a learner for a few iterations and measures how far one meta-parameter moved.
   *
   * @param learner the learner
   * @param variable the name of a meta-parameter
   * @param iterations how many iterations
   * @return {@code |x_after - x_before|} of the variable's first entry
   * @throws IllegalStateException if an iteration's upper objective is not finite
   */
  public static double trainedChange(MetaLearner learner, String variable, int iterations) {
    double before =
        learner.metaParameters().get(variable).toType(DataType.FLOAT64, false).toDoubleArray()[0];
    List<Double> objectives = new java.util.ArrayList<>();
    learner.train(iterations, report -> objectives.add(report.upperObjective()));
    if (!objectives.stream().allMatch(Double::isFinite)) {
      throw new IllegalStateException("an upper objective is not finite: " + objectives);
    }
    double after =
        learner.metaParameters().get(variable).toType(DataType.FLOAT64, false).toDoubleArray()[0];
    return Math.abs(after - before);
  }

  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    Random random = new Random(seed);
    if (images) {
      return new Task(
          CheckProblems.images(manager, random, 3, 2), CheckProblems.images(manager, random, 3, 3));
    }
    double amplitude = 0.1 + 4.9 * random.nextDouble();
    double phase = Math.PI * random.nextDouble();
    return new Task(
        CheckProblems.sinusoidPoints(manager, random, amplitude, phase),
        CheckProblems.sinusoidPoints(manager, random, amplitude, phase));
  }

  @Override
  public Shape inputShape() {
    return images ? new Shape(1, 6, 6) : new Shape(1);
  }

  @Override
  public int outputs() {
    return images ? 3 : 1;
  }

  @Override
  public TaskKind taskKind() {
    return images ? TaskKind.CLASSIFICATION : TaskKind.REGRESSION;
  }

  @Override
  public String describe() {
    return images ? "check tasks: 3-way 1x6x6 random images" : "check tasks: sinusoid regression";
  }
}
