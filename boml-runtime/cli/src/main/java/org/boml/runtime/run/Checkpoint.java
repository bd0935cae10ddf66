package org.boml.runtime.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.boml.api.Variables;
import org.boml.runtime.train.MetaLearner;

/**
 * Training state for exact resume, in one safetensors file {@value #FILE} of the run directory:
 * {@code x/<name>} the meta-parameters, {@code optimizer/<slot>/<name>} the outer optimizer's
 * state, and the int64 scalars {@code iteration} (iterations completed), {@code optimizer-steps}
 * and {@code skipped-tasks} (tasks skipped so far; absent in older checkpoints, read as 0). Random
 * state needs no saving: every task is a function of (seed, iteration, index). The file is replaced
 * atomically, so the previous checkpoint stays until the new one is complete.
 *
 * <p>The file's metadata holds the outer optimizer's name ({@value #OPTIMIZER_KEY}) and a SHA-256
 * checksum of every tensor ({@link TensorChecksums}). Loading refuses, naming the file, a tensor
 * that does not match its checksum, a value that is not finite (no completed iteration leaves one),
 * and the state of another outer optimizer; a checkpoint of an earlier version, without checksums,
 * is loaded with a warning.
 */
public final class Checkpoint {
  /** The checkpoint file's name. */
  public static final String FILE = "checkpoint.safetensors";

  private static final String META = "x/";
  private static final String OPTIMIZER = "optimizer/";
  private static final String ITERATION = "iteration";
  private static final String STEPS = "optimizer-steps";
  private static final String SKIPPED = "skipped-tasks";
  private static final String OPTIMIZER_KEY = "optimizer";
  private static final Logger LOG = LogManager.getLogger(Checkpoint.class);

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
      run.writeFile(
          FILE, SafetensorsFile.encode(list, Map.of(OPTIMIZER_KEY, learner.optimizerName())));
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
   * @throws IOException if the checkpoint is missing, truncated, damaged (a checksum or a value
   *     that is not finite), from another model or another outer optimizer, with the file named; a
   *     checkpoint without checksums is loaded with a logged warning
   */
  public static int restore(RunDirectory run, MetaLearner learner) throws IOException {
    return restore(run, learner, LOG::warn);
  }

  /**
   * Restores a learner from the run directory's checkpoint, telling where warnings go.
   *
   * @param run the run directory
   * @param learner a learner built from the run's configuration
   * @param warnings told when the checkpoint has no checksums to verify
   * @return the iterations completed at the checkpoint
   * @throws IOException if the checkpoint is missing, truncated, damaged (a checksum or a value
   *     that is not finite), from another model or another outer optimizer, with the file named
   */
  public static int restore(RunDirectory run, MetaLearner learner, Consumer<String> warnings)
      throws IOException {
    Path file = run.path().resolve(FILE);
    try (NDManager manager = NDManager.newBaseManager()) {
      SafetensorsFile.Contents contents = SafetensorsFile.read(file, manager, warnings);
      NDList list = contents.tensors();
      requireSameOptimizer(file, contents.metadata().get(OPTIMIZER_KEY), learner);
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

  /** Refuses the state of another outer optimizer (older checkpoints do not name theirs). */
  private static void requireSameOptimizer(Path file, String saved, MetaLearner learner)
      throws IOException {
    if (saved != null && !saved.equals(learner.optimizerName())) {
      throw new IOException(
          file
              + " holds the state of outer optimizer '"
              + saved
              + "' but this run's configuration ("
              + RunDirectory.CONFIG
              + ") has '"
              + learner.optimizerName()
              + "': the checkpoint belongs to another configuration. Restore the "
              + RunDirectory.CONFIG
              + " it was written with, or start the run again with --overwrite");
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
