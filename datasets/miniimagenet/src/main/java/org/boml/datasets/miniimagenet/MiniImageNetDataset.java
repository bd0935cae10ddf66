package org.boml.datasets.miniimagenet;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.datasets.fewshot.EpisodeSampler;

/**
 * MiniImageNet episodes from decoded, cached classes; see {@link MiniImageNetProvider} for the
 * options.
 *
 * <p>An N-way K-shot episode with Q queries draws {@code ways} distinct classes of the split
 * uniformly without replacement, then for each class {@code shots + queries} distinct images
 * uniformly without replacement (a partial Fisher-Yates shuffle over a {@link SplittableRandom}
 * seeded with the task seed and the split): the first {@code shots} go to the training (support)
 * split, the rest to the validation (query) split. The j-th drawn class gets label j; both splits
 * are class-major. This is the algorithm of {@link org.boml.datasets.fewshot.EpisodeSampler}, here
 * over 8-bit storage.
 *
 * <p>A meta-train or meta-test split that cannot give an episode (fewer classes than ways, or a
 * class with fewer images than shots + queries) is refused when the dataset opens; the same problem
 * in the meta-validation split, which training does not need, is reported when a validation task is
 * sampled.
 */
final class MiniImageNetDataset implements Dataset {
  private static final long[] SPLIT_SALT = {
    0x452821E638D01377L, 0xBE5466CF34E90C6CL, 0xC0AC29B7C97C50DDL
  };

  private final Map<MetaSplit, List<PackedClass>> pools = new EnumMap<>(MetaSplit.class);
  private final Map<MetaSplit, String> problems = new EnumMap<>(MetaSplit.class);
  private final int ways;
  private final int shots;
  private final int queries;
  private final int size;
  private final String description;

  MiniImageNetDataset(
      Map<MetaSplit, List<PackedClass>> classes, int ways, int shots, int queries, int size)
      throws DatasetException {
    this.ways = ways;
    this.shots = shots;
    this.queries = queries;
    this.size = size;
    StringBuilder counts = new StringBuilder();
    for (MetaSplit split : MetaSplit.values()) {
      List<PackedClass> pool = classes.get(split);
      int images = pool.stream().mapToInt(c -> c.images().size()).sum();
      counts.append(
          String.format(
              Locale.ROOT,
              "%s%s %d (%d images)",
              counts.length() == 0 ? "" : ", ",
              split.name().toLowerCase(Locale.ROOT),
              pool.size(),
              images));
      String problem = problem(split, pool);
      if (problem == null) {
        pools.put(split, pool);
      } else if (split == MetaSplit.VALIDATION) {
        problems.put(split, problem);
      } else {
        throw new DatasetException(problem);
      }
    }
    this.description =
        String.format(
            Locale.ROOT,
            "miniimagenet %d-way %d-shot, %d queries, 3x%dx%d; classes: %s",
            ways,
            shots,
            queries,
            size,
            size,
            counts);
  }

  private String problem(MetaSplit split, List<PackedClass> pool) {
    if (ways > pool.size()) {
      return ways
          + "-way tasks need "
          + ways
          + " classes but the "
          + SplitFiles.describe(split)
          + " split has only "
          + pool.size()
          + "; lower --ways or list more classes in "
          + SplitFiles.FILES.get(split);
    }
    for (PackedClass imageClass : pool) {
      if (imageClass.images().size() < shots + queries) {
        return "class "
            + imageClass.label()
            + " of "
            + SplitFiles.FILES.get(split)
            + " has "
            + imageClass.images().size()
            + " images but "
            + shots
            + " shots + "
            + queries
            + " queries need "
            + (shots + queries)
            + " distinct ones; lower --shots or --queries";
      }
    }
    return null;
  }

  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    List<PackedClass> pool = pools.get(split);
    if (pool == null) {
      throw new IllegalStateException("cannot sample a " + split + " task: " + problems.get(split));
    }
    SplittableRandom random = new SplittableRandom(seed ^ SPLIT_SALT[split.ordinal()]);
    int[] chosen = EpisodeSampler.firstOfPermutation(random, pool.size(), ways);
    int image = 3 * size * size;
    float[] train = new float[ways * shots * image];
    float[] validation = new float[ways * queries * image];
    for (int j = 0; j < ways; j++) {
      PackedClass imageClass = pool.get(chosen[j]);
      int[] drawn =
          EpisodeSampler.firstOfPermutation(random, imageClass.images().size(), shots + queries);
      for (int k = 0; k < shots; k++) {
        imageClass.copyImage(drawn[k], train, (j * shots + k) * image);
      }
      for (int k = 0; k < queries; k++) {
        imageClass.copyImage(drawn[shots + k], validation, (j * queries + k) * image);
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
        manager.create(pixels, new Shape(labels.length, 3, size, size)), manager.create(labels));
  }

  @Override
  public Shape inputShape() {
    return new Shape(3, size, size);
  }

  @Override
  public int outputs() {
    return ways;
  }

  @Override
  public TaskKind taskKind() {
    return TaskKind.CLASSIFICATION;
  }

  @Override
  public String describe() {
    return description;
  }
}
