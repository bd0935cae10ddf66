package org.boml.datasets.omniglot;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.datasets.fewshot.EpisodeSampler;
import org.boml.datasets.fewshot.ImageClass;

/** Omniglot episodes from decoded, cached characters; see {@link OmniglotProvider} for options. */
final class OmniglotDataset implements Dataset {
  private static final long[] SPLIT_SALT = {
    0x243F6A8885A308D3L, 0x13198A2E03707344L, 0xA4093822299F31D0L
  };

  private final Map<MetaSplit, EpisodeSampler> samplers = new EnumMap<>(MetaSplit.class);
  private final Map<MetaSplit, String> problems = new EnumMap<>(MetaSplit.class);
  private final int ways;
  private final int size;
  private final String description;

  OmniglotDataset(
      List<ImageClass> characters,
      ClassSplit split,
      long splitSeed,
      boolean rotations,
      int ways,
      int shots,
      int queries,
      int size)
      throws DatasetException {
    this.ways = ways;
    this.size = size;
    StringBuilder counts = new StringBuilder();
    for (MetaSplit part : MetaSplit.values()) {
      List<ImageClass> pool = new java.util.ArrayList<>();
      for (int index : split.indices(characters.size(), part, splitSeed)) {
        pool.add(characters.get(index));
      }
      int distinct = pool.size();
      if (rotations && part == MetaSplit.TRAIN) {
        List<ImageClass> rotated = new java.util.ArrayList<>(pool);
        for (int turns = 1; turns < 4; turns++) {
          for (ImageClass character : pool) {
            rotated.add(character.rotated(turns));
          }
        }
        pool = rotated;
      }
      counts.append(
          String.format(
              java.util.Locale.ROOT,
              "%s %d%s, ",
              part.name().toLowerCase(java.util.Locale.ROOT),
              distinct,
              pool.size() != distinct ? " (" + pool.size() + " classes with rotations)" : ""));
      String name = "meta-" + part.name().toLowerCase(java.util.Locale.ROOT);
      if (pool.isEmpty()) {
        problems.put(
            part,
            "the "
                + split.name().toLowerCase(java.util.Locale.ROOT)
                + " split has no "
                + name
                + " characters");
        continue;
      }
      try {
        samplers.put(part, new EpisodeSampler(pool, ways, shots, queries, 1, size, name));
      } catch (DatasetException e) {
        if (part == MetaSplit.TRAIN || part == MetaSplit.TEST) {
          throw e;
        }
        problems.put(part, e.getMessage());
      }
    }
    this.description =
        String.format(
            java.util.Locale.ROOT,
            "omniglot %d-way %d-shot, %d queries, %dx%d; %d characters: %s%s split",
            ways,
            shots,
            queries,
            size,
            size,
            characters.size(),
            counts,
            split.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public Task sample(MetaSplit split, long seed, NDManager manager) {
    EpisodeSampler sampler = samplers.get(split);
    if (sampler == null) {
      throw new IllegalStateException("cannot sample a " + split + " task: " + problems.get(split));
    }
    return sampler.sample(new SplittableRandom(seed ^ SPLIT_SALT[split.ordinal()]), manager);
  }

  @Override
  public Shape inputShape() {
    return new Shape(1, size, size);
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
