package org.boml.datasets.fewshot;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.boml.api.DatasetException;
import org.boml.api.Split;
import org.boml.api.Task;

/**
 * N-way K-shot episodes with Q queries per class from a pool of classes: {@code ways} distinct
 * classes uniformly without replacement, then for each class {@code shots + queries} distinct
 * images uniformly without replacement, the first {@code shots} for training and the rest for
 * validation. The j-th sampled class gets label j; both splits are class-major.
 */
public final class EpisodeSampler {
  private final List<ImageClass> classes;
  private final int ways;
  private final int shots;
  private final int queries;
  private final int channels;
  private final int size;

  /**
   * A sampler over a pool.
   *
   * @param pool the classes to draw from
   * @param ways classes per task
   * @param shots training images per class
   * @param queries validation images per class
   * @param channels channels per image
   * @param size image height and width
   * @param poolName the pool's name for error messages, e.g. "meta-train"
   * @throws DatasetException if the pool has fewer classes than ways or a class fewer images than
   *     shots + queries
   */
  public EpisodeSampler(
      List<ImageClass> pool,
      int ways,
      int shots,
      int queries,
      int channels,
      int size,
      String poolName)
      throws DatasetException {
    if (ways > pool.size()) {
      throw new DatasetException(
          ways
              + "-way tasks need "
              + ways
              + " classes but the "
              + poolName
              + " split has only "
              + pool.size()
              + "; lower --ways or use more data");
    }
    for (ImageClass imageClass : pool) {
      if (imageClass.images().size() < shots + queries) {
        throw new DatasetException(
            "class "
                + imageClass.name()
                + " has "
                + imageClass.images().size()
                + " images but "
                + shots
                + " shots + "
                + queries
                + " queries need "
                + (shots + queries)
                + " distinct ones; lower --shots or --queries");
      }
    }
    this.classes = List.copyOf(pool);
    this.ways = ways;
    this.shots = shots;
    this.queries = queries;
    this.channels = channels;
    this.size = size;
  }

  /**
   * Samples one task.
   *
   * @param random the source of randomness (consumed)
   * @param manager where the arrays are created
   * @return the task: inputs {@code (N, channels, size, size)} float32, labels int64 {@code (N)}
   */
  public Task sample(SplittableRandom random, NDManager manager) {
    int[] chosen = firstOfPermutation(random, classes.size(), ways);
    int image = channels * size * size;
    float[] train = new float[ways * shots * image];
    float[] validation = new float[ways * queries * image];
    for (int j = 0; j < ways; j++) {
      ImageClass imageClass = classes.get(chosen[j]);
      int[] drawings = firstOfPermutation(random, imageClass.images().size(), shots + queries);
      for (int k = 0; k < shots; k++) {
        imageClass.copyImage(drawings[k], channels, size, train, (j * shots + k) * image);
      }
      for (int k = 0; k < queries; k++) {
        imageClass.copyImage(
            drawings[shots + k], channels, size, validation, (j * queries + k) * image);
      }
    }
    return new Task(split(manager, train, shots), split(manager, validation, queries));
  }

  private Split split(NDManager manager, float[] pixels, int perClass) {
    long[] labels = new long[ways * perClass];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i / perClass;
    }
    return new Split(
        manager.create(pixels, new Shape(labels.length, channels, size, size)),
        manager.create(labels));
  }

  /**
   * The first {@code count} entries of a uniform random permutation of 0..n-1 (partial
   * Fisher-Yates): {@code count} distinct indices drawn without replacement, in draw order.
   *
   * @param random the source of randomness (consumed)
   * @param n the number of indices to draw from
   * @param count how many to draw, at most {@code n}
   * @return the drawn indices
   */
  public static int[] firstOfPermutation(SplittableRandom random, int n, int count) {
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return java.util.Arrays.copyOf(values, count);
  }

  /**
   * The number of classes in the pool.
   *
   * @return the pool size
   */
  public int classCount() {
    return classes.size();
  }
}
