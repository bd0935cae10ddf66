package org.boml.runtime.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.boml.api.Variables;
import org.boml.runtime.train.MetaLearner;

/**
 * Training state for exact resume, in one safetensors file {@value #FILE} of the run directory:
 * {@code x/<name>} the meta-parameters, {@code optimizer/<slot>/<name>} the outer optimizer's
 * state, and the int64 scalars {@code iteration} (iterations completed), {@code optimizer-steps}
 * and {@code skipped-tasks} (tasks skipped so far; absent in older checkpoints, read as 0). Random
 * state needs no saving: every task is a function of (seed, iteration, index). The file is replaced
 * atomically, so the previous checkpoint stays until the new one is complete.
 */
public final class Checkpoint {
  /** The checkpoint file's name. */
  public static final String FILE = "checkpoint.safetensors";

  private static final String META = "x/";
  private static final String OPTIMIZER = "optimizer/";
  private static final String ITERATION = "iteration";
  private static final String STEPS = "optimizer-steps";
  private static final String SKIPPED = "skipped-tasks";

  private Checkpoint() {}

  /**
   * Writes the learner's state.
   *
   * @param run the run directory
   * @param learner the learner
   * @throws IOException if the directory cannot be written
   */
  public static void save(RunDirectory run, MetaLearner learner) throws IOException {
    try (NDManager scratch = NDManager.newBaseManager()) {
      NDList list = new NDList();
      add(list, META, learner.metaParameters());
      add(list, OPTIMIZER, learner.optimizerState());
      list.add(named(scratch.create((long) learner.completedIterations()), ITERATION));
      list.add(named(scratch.create(learner.optimizerSteps()), STEPS));
      list.add(named(scratch.create((long) learner.skippedTasks()), SKIPPED));
      run.writeFile(FILE, list.encode(NDList.Encoding.SAFETENSORS));
      list.forEach(NDArray::close);
    }
  }

  /**
   * Whether a run directory has a checkpoint.
   *
   * @param run the run directory
   * @return true if the file exists
   */
  public static boolean exists(RunDirectory run) {
    return Files.isRegularFile(run.path().resolve(FILE));
  }

  /**
   * Restores a learner from the run directory's checkpoint.
   *
   * @param run the run directory
   * @param learner a learner built from the run's configuration
   * @return the iterations completed at the checkpoint
   * @throws IOException if the checkpoint is missing, truncated or corrupt, with the file named
   */
  public static int restore(RunDirectory run, MetaLearner learner) throws IOException {
    Path file = run.path().resolve(FILE);
    try (NDManager manager = NDManager.newBaseManager();
        InputStream in = Files.newInputStream(file)) {
      NDList list;
      try {
        list = NDList.decode(manager, in);
      } catch (RuntimeException e) {
        throw new IOException(file + " is truncated or corrupt: " + e.getMessage(), e);
      }
      Map<String, NDArray> meta = new LinkedHashMap<>();
      Map<String, NDArray> optimizer = new LinkedHashMap<>();
      long iteration = -1;
      long steps = -1;
      long skipped = 0;
      for (NDArray array : list) {
        String name = array.getName();
        if (name.startsWith(META)) {
          meta.put(name.substring(META.length()), array);
        } else if (name.startsWith(OPTIMIZER)) {
          optimizer.put(name.substring(OPTIMIZER.length()), array);
        } else if (name.equals(ITERATION)) {
          iteration = array.getLong();
        } else if (name.equals(STEPS)) {
          steps = array.getLong();
        } else if (name.equals(SKIPPED)) {
          skipped = array.getLong();
        }
      }
      if (iteration < 0 || steps < 0) {
        throw new IOException(
            file + " is not a BOML checkpoint: it lacks '" + ITERATION + "' or '" + STEPS + "'");
      }
      try {
        learner.restore(
            Variables.of(meta),
            Variables.of(optimizer),
            steps,
            Math.toIntExact(iteration),
            Math.toIntExact(skipped));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " does not fit this run: " + e.getMessage(), e);
      }
      return Math.toIntExact(iteration);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(
          "run directory '" + run.path() + "' has no " + FILE + " to resume from", e);
    }
  }

  private static void add(NDList list, String prefix, Variables values) {
    for (String name : values.names()) {
      list.add(named(values.get(name).duplicate(), prefix + name));
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }
}
