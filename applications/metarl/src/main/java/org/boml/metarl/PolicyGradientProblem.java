package org.boml.metarl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.boml.api.BilevelProblem;
import org.boml.api.Variables;
import org.boml.runtime.train.Seeds;

/**
 * One task of MAML for reinforcement learning as a bilevel problem (Finn et al. 2017, section 5.3):
 * meta-initialization of a {@link GaussianMlpPolicy}, {@code y_0 = x}, with REINFORCE surrogates as
 * both objectives,
 *
 * <pre>
 *   f_t(x, y) = -(1/(E H)) sum_{e,t'} log pi_y(a_{e,t'} | s_{e,t'}) A_{e,t'}    (episodes D_t of pi_{y_t})
 *   F(x, y)   = the same on episodes D_T of pi_{y_T}
 * </pre>
 *
 * whose gradients with respect to {@code y} are the policy-gradient estimates with the advantages
 * {@code A} of a {@link LinearFeatureBaseline}. The episodes of step {@code t} are sampled the
 * first time the objective of that step is asked for, with the policy it is asked at, and kept:
 * afterwards the objectives are deterministic functions of {@code y}, so a reverse pass that
 * recomputes a step sees the episodes the forward pass saw, and a finite difference of {@code F(x,
 * y_T(x))} differentiates exactly the surrogate whose hypergradient {@code rhg} computes. As in the
 * paper, the dependence of the sampling distribution of {@code D_t} on {@code x} is not
 * differentiated. Not thread-safe: one instance per task and meta-iteration.
 */
public final class PolicyGradientProblem implements BilevelProblem {
  private final Environment environment;
  private final GaussianMlpPolicy policy;
  private final Set<String> names;
  private final int episodes;
  private final double discount;
  private final NDManager manager;
  private final long seed;
  private final Map<Integer, Batch> lower = new HashMap<>();
  private Batch upper;

  /** Episodes with their advantages. */
  private record Batch(Rollouts rollouts, double[] advantages) {}

  /**
   * A task.
   *
   * @param environment the environment
   * @param policy the policy's architecture
   * @param episodes episodes per surrogate, {@code >= 1}
   * @param discount {@code gamma} of the returns-to-go, in {@code [0, 1]}
   * @param manager where intermediate arrays are attached
   * @param seed the seed of every episode of the task
   */
  public PolicyGradientProblem(
      Environment environment,
      GaussianMlpPolicy policy,
      int episodes,
      double discount,
      NDManager manager,
      long seed) {
    if (episodes < 1) {
      throw new IllegalArgumentException(
          "at least one episode per step is needed, got " + episodes);
    }
    if (!(discount >= 0 && discount <= 1)) {
      throw new IllegalArgumentException("the discount must be in [0, 1], got " + discount);
    }
    this.environment = environment;
    this.policy = policy;
    this.names = new HashSet<>(policy.names());
    this.episodes = episodes;
    this.discount = discount;
    this.manager = manager;
    this.seed = seed;
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    Batch batch = lower.get(step);
    if (batch == null) {
      batch = sample(y, Seeds.task(seed, step, 0));
      lower.put(step, batch);
    }
    return surrogate(y, batch);
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    if (upper == null) {
      upper = sample(y, Seeds.task(seed, -1, 0));
    }
    return surrogate(y, upper);
  }

  @Override
  public Variables initialBase(Variables x) {
    return x.select(names::contains);
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public long seed() {
    return seed;
  }

  /**
   * The average return of the episodes sampled for the lower-level objective of a step, i.e. of the
   * policy after {@code step} adaptation steps.
   *
   * @param step the step
   * @return the average undiscounted return
   * @throws IllegalStateException if that objective has not been evaluated
   */
  public double lowerReturn(int step) {
    Batch batch = lower.get(step);
    if (batch == null) {
      throw new IllegalStateException("no episodes were sampled for step " + step);
    }
    return batch.rollouts().averageReturn();
  }

  /**
   * The average return of the episodes sampled for the upper-level objective, i.e. of the adapted
   * policy {@code y_T}.
   *
   * @return the average undiscounted return
   * @throws IllegalStateException if that objective has not been evaluated
   */
  public double upperReturn() {
    if (upper == null) {
      throw new IllegalStateException("the upper-level objective has not been evaluated");
    }
    return upper.rollouts().averageReturn();
  }

  private Batch sample(Variables y, long episodeSeed) {
    Rollouts rollouts = Rollouts.sample(environment, policy.sampler(y), episodes, episodeSeed);
    return new Batch(rollouts, LinearFeatureBaseline.advantages(rollouts, discount));
  }

  private NDArray surrogate(Variables y, Batch batch) {
    DataType type = y.get(GaussianMlpPolicy.LOG_STD).getDataType();
    Rollouts rollouts = batch.rollouts();
    int rows = rollouts.rows();
    NDArray observations =
        Arrays64.engineOwned(
            manager, rollouts.observations(), new Shape(rows, rollouts.observationSize()), type);
    NDArray actions =
        Arrays64.engineOwned(
            manager, rollouts.actions(), new Shape(rows, rollouts.actionSize()), type);
    NDArray advantages = Arrays64.engineOwned(manager, batch.advantages(), new Shape(rows), type);
    return policy.logLikelihood(y, observations, actions).mul(advantages).mean().neg();
  }
}
