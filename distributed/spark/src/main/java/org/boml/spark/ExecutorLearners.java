package org.boml.spark;

import com.google.gson.Gson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.boml.api.DatasetException;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.run.Assembly;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.PlainVariables;
import org.boml.runtime.train.TaskSum;

/**
 * The executor side: learners built from a run's configuration, kept for the whole run in each
 * executor JVM (opening a dataset and starting the engine cost far more than one task), one per
 * concurrently running Spark task. Each solves its range of an iteration's tasks with the
 * meta-parameters the driver broadcast, with the same per-task seeds as a single-process run.
 */
final class ExecutorLearners {
  private static final Map<String, Pool> POOLS = new ConcurrentHashMap<>();

  private ExecutorLearners() {}

  /**
   * Solves tasks {@code from .. to-1} of an iteration.
   *
   * @param run identifies the run (one pool of learners per run)
   * @param specJson the run's configuration
   * @param meta the meta-parameters of this iteration
   */
  static TaskSum solve(
      String run, String specJson, PlainVariables meta, int iteration, int from, int to) {
    Pool pool = POOLS.computeIfAbsent(run, key -> new Pool(specJson));
    Learner learner = pool.borrow();
    try {
      learner.learner.assignMetaParameters(meta);
      return learner.learner.solveTasks(iteration, from, to);
    } finally {
      pool.idle.push(learner);
    }
  }

  /** Closes the learners of a run in this JVM (the driver's, in local mode). */
  static void release(String run) {
    Pool pool = POOLS.remove(run);
    if (pool != null) {
      pool.idle.forEach(Learner::close);
    }
  }

  /** Learners of one run; a Spark task takes an idle one or builds one. */
  private static final class Pool {
    final String specJson;
    final ConcurrentLinkedDeque<Learner> idle = new ConcurrentLinkedDeque<>();

    Pool(String specJson) {
      this.specJson = specJson;
    }

    Learner borrow() {
      Learner learner = idle.poll();
      return learner != null ? learner : new Learner(new Gson().fromJson(specJson, RunSpec.class));
    }
  }

  /** A learner with the assembly whose dataset it samples. */
  private static final class Learner implements AutoCloseable {
    final Assembly assembly;
    final MetaLearner learner;

    Learner(RunSpec spec) {
      // Spark runs one task per core: one intra-op thread each, unless the JVM was told otherwise.
      if (System.getProperty(ExecutorJvm.INTRA_OP) == null) {
        System.setProperty(ExecutorJvm.INTRA_OP, "1");
      }
      // the driver has warned about refused plugins; an executor goes on without them too
      PluginRegistry registry = PluginRegistry.discover(List.of());
      try {
        this.assembly = Assembly.forTraining(spec, registry);
      } catch (DatasetException e) {
        throw new IllegalStateException(
            "an executor cannot open dataset " + spec.dataset + ": " + e.getMessage(), e);
      }
      this.learner = assembly.learner().workers(1).build();
    }

    @Override
    public void close() {
      learner.close();
      assembly.close();
    }
  }
}
