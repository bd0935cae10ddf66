package org.boml.datasets.omniglot;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.boml.api.MetaSplit;

/**
 * How characters are divided into the meta-train, meta-validation and meta-test splits. The
 * characters arrive sorted by key ({@code Alphabet/characterNN}).
 *
 * <ul>
 *   <li>{@link #BOML}: shuffle with the split seed (Fisher-Yates over a {@link SplittableRandom}),
 *       then take the first {@code round(n * 1200/1623)} for meta-train, the next {@code round(n *
 *       100/1623)} for meta-validation and the rest for meta-test: exactly 1200/100/323 for the
 *       full dataset, as BOML, and the same proportions for a subset (179/15/48 for the 242
 *       characters of the two small background subsets).
 *   <li>{@link #PEER}: the split of the PyTorch reference benchmark: character {@code i} (in key
 *       order) is meta-test if {@code i % 5 == 4}, else meta-train; no meta-validation.
 * </ul>
 */
enum ClassSplit {
  /** Seeded shuffle, BOML's proportions. */
  BOML,
  /** The reference benchmark's deterministic split. */
  PEER;

  private static final int FULL = 1623;
  private static final int FULL_TRAIN = 1200;
  private static final int FULL_VALIDATION = 100;

  /** The indices (into the sorted characters) of one split. */
  List<Integer> indices(int count, MetaSplit split, long seed) {
    List<Integer> result = new ArrayList<>();
    if (this == PEER) {
      for (int i = 0; i < count; i++) {
        boolean test = i % 5 == 4;
        if (split == MetaSplit.TEST ? test : split == MetaSplit.TRAIN && !test) {
          result.add(i);
        }
      }
      return result;
    }
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int train = (int) Math.round((double) count * FULL_TRAIN / FULL);
    int validation = (int) Math.round((double) count * FULL_VALIDATION / FULL);
    int from =
        switch (split) {
          case TRAIN -> 0;
          case VALIDATION -> train;
          case TEST -> train + validation;
        };
    int to =
        switch (split) {
          case TRAIN -> train;
          case VALIDATION -> train + validation;
          case TEST -> count;
        };
    for (int i = from; i < to; i++) {
      result.add(order[i]);
    }
    return result;
  }
}
