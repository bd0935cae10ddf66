package org.boml.metarl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boml.runtime.train.Statistic;

/**
 * What {@code boml rl} measured: the training time of each trained policy and, for every policy,
 * the average return on held-out tasks after {@code k = 0, 1, ..., evaluationSteps} policy-gradient
 * adaptation steps, over the tasks with a 95% confidence interval.
 *
 * @param trainingSeconds the wall time of training, by policy ({@value #MAML}, {@value
 *     #PRETRAINED})
 * @param returns the returns by policy ({@value #MAML}, {@value #PRETRAINED}, {@value #RANDOM}),
 *     one statistic per number of adaptation steps starting at 0
 */
public record RlResult(Map<String, Double> trainingSeconds, Map<String, List<Statistic>> returns) {
  /** The meta-learned initialization. */
  public static final String MAML = "maml";

  /** The policy trained on all tasks jointly, without adaptation in the loop. */
  public static final String PRETRAINED = "pretrained";

  /** The random initialization both start from. */
  public static final String RANDOM = "random";

  /** Copies the maps, keeping their order. */
  public RlResult {
    trainingSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(trainingSeconds));
    returns = Collections.unmodifiableMap(new LinkedHashMap<>(returns));
  }
}
