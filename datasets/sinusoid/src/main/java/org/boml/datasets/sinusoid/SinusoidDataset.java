package org.boml.datasets.sinusoid;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;

/**
 * Tasks {@code y = A sin(x - phi)} with amplitude {@code A ~ U[0.1, 5]}, phase {@code phi ~ U[0,
 * pi]} and inputs {@code x ~ U[-5, 5]}: {@code shots} training points and {@code queries}
 * validation points per task. The task family is continuous, so the meta-splits cannot share
 * classes; instead each split draws from its own random stream (the split is mixed into the seed),
 * so no task of one split is reused by another.
 */
final class SinusoidDataset implements Dataset {
  static final double MIN_AMPLITUDE = 0.1;
  static final double MAX_AMPLITUDE = 5.0;
  static final double MAX_PHASE = Math.PI;
  static final double INPUT_RANGE = 5.0;

  private static final long[] SPLIT_SALT = {0x5DEECE66DL, 0x2545F4914F6CDD1DL, 0x9E3779B97F4A7C15L};

  private final int shots;
  private final int queries;

  SinusoidDataset(int shots, int queries) {
    this.shots = shots;
    this.queries = queries;
  }

  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    SplittableRandom random = new SplittableRandom(seed ^ SPLIT_SALT[split.ordinal()]);
    double amplitude = MIN_AMPLITUDE + (MAX_AMPLITUDE - MIN_AMPLITUDE) * random.nextDouble();
    double phase = MAX_PHASE * random.nextDouble();
    return new Task(
        points(random, amplitude, phase, shots, manager),
        points(random, amplitude, phase, queries, manager));
  }

  private static Split points(
      SplittableRandom random, double amplitude, double phase, int count, NDManager manager) {
    float[] inputs = new float[count];
    float[] targets = new float[count];
    for (int i = 0; i < count; i++) {
      double x = -INPUT_RANGE + 2 * INPUT_RANGE * random.nextDouble();
      inputs[i] = (float) x;
      targets[i] = (float) (amplitude * Math.sin(x - phase));
    }
    Shape shape = new Shape(count, 1);
    return new Split(manager.create(inputs, shape), manager.create(targets, shape));
  }

  @Override
  public Shape inputShape() {
    return new Shape(1);
  }

  @Override
  public int outputs() {
    return 1;
  }

  @Override
  public TaskKind taskKind() {
    return TaskKind.REGRESSION;
  }

  @Override
  public String describe() {
    return "sinusoid regression, " + shots + "-shot, " + queries + " validation points per task";
  }
}
