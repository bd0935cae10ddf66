package org.boml.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.boml.api.ParameterSpec;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;

/**
 * The memory a long inner loop keeps, estimated before the first step. rhg's default strategy
 * ({@code strategy=graph}) keeps the autograd graph of every step until the hypergradient is taken:
 * the iterate, and every activation and intermediate array of the step, with libtorch's bookkeeping
 * for each. On the default sinusoid task (the 1,761-parameter MLP, 10 support points) that is about
 * 65 KiB per step, ten times the 6.9 KiB iterate: {@code --inner-steps 100000} grew to 6.5 GiB per
 * task, which an estimate from the iterates alone (1.3 GiB for two tasks) missed. So for rhg's
 * stored graph, {@code train} measures the native memory one step keeps on the first task ({@link
 * org.boml.runtime.train.MetaLearner#stepMemory}), multiplies it by the inner steps and the tasks
 * that run at once, and warns before training when that exceeds {@link #SHARE} of the memory
 * available. Where the step cannot be measured, and for other methods, the iterates of every step
 * are the (lower) estimate; rhg's {@code strategy=replay} keeps exactly those.
 */
final class TrajectoryMemory {
  /**
   * The part of the available memory an estimate may take before {@code train} warns: 40%, because
   * the resident memory of a stored graph is more than the bytes allocated for it (measured on the
   * sinusoid MLP: 1.1 times with tcmalloc, 1.7 times with glibc's malloc, whose free holes between
   * a step's kept and freed arrays stay resident), and the process needs memory besides.
   */
  static final double SHARE = 0.4;

  private TrajectoryMemory() {}

  /**
   * The bytes of the variables the inner loop adapts: every parameter for meta-initialization, the
   * head's for meta-feature learning.
   *
   * @param parameters the model's parameters
   * @param family the family
   * @param bytesPerValue 4 for float32, 8 for float64
   * @return the bytes of one iterate
   */
  static long iterateBytes(List<ParameterSpec> parameters, Family family, int bytesPerValue) {
    return parameters.stream()
            .filter(
                p -> family == Family.META_INITIALIZATION || p.group().equals(ParameterSpec.HEAD))
            .mapToLong(p -> p.shape().size())
            .sum()
        * bytesPerValue;
  }

  /** Inner loops this long or shorter are not measured: their graph is what a usual run keeps. */
  static final int MEASURED_FROM = 11;

  /**
   * What {@code train} says about the memory of its inner loops before the first step, if anything:
   * for rhg's stored graph an inner loop of {@link #MEASURED_FROM} steps or more is measured on the
   * first task ({@link MetaLearner#stepMemory}); otherwise, or where the native memory cannot be
   * counted, the iterates are the estimate.
   *
   * @param learner the learner about to train
   * @param storedGraph whether the method keeps the graph of every step (rhg, strategy=graph)
   * @param innerSteps the steps of the inner loop
   * @param tasksAtOnce the tasks solved at the same time (workers, at most the meta-batch)
   * @param iterateBytes the bytes of one iterate
   * @param availableBytes the memory available
   * @return the warning
   */
  static Optional<String> warning(
      MetaLearner learner,
      boolean storedGraph,
      int innerSteps,
      int tasksAtOnce,
      long iterateBytes,
      long availableBytes) {
    if (storedGraph
        && innerSteps >= MEASURED_FROM
        && availableBytes > 0
        && ComputeEngines.get().nativeBytesInUse().isPresent()) {
      OptionalLong step =
          learner.stepMemory(() -> ComputeEngines.get().nativeBytesInUse().orElseThrow());
      if (step.isPresent()) {
        return graphWarning(
            innerSteps, tasksAtOnce, step.getAsLong(), iterateBytes, availableBytes);
      }
    }
    return iterateWarning(innerSteps, tasksAtOnce, iterateBytes, availableBytes);
  }

  /**
   * The warning for an inner loop whose stored graph, as measured, would take more than {@link
   * #SHARE} of the available memory, if it would.
   *
   * @param innerSteps the steps of the inner loop
   * @param tasksAtOnce the tasks solved at the same time (workers, at most the meta-batch)
   * @param stepBytes the native memory one step with its graph keeps, measured
   * @param iterateBytes the bytes of one iterate, for what {@code strategy=replay} would keep
   * @param availableBytes the memory available
   * @return the warning, naming the estimate, the memory and what to do
   */
  static Optional<String> graphWarning(
      long innerSteps, int tasksAtOnce, long stepBytes, long iterateBytes, long availableBytes) {
    double estimate = (double) innerSteps * tasksAtOnce * stepBytes;
    if (availableBytes <= 0 || estimate <= SHARE * availableBytes) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "--inner-steps %d keeps about %s before the first meta-gradient: rhg's stored graph"
                + " (strategy=graph, the default) of every step, %s per step as measured on the"
                + " first task, for %d task(s) at once; %s of memory is available. Use"
                + " --method-option strategy=replay (keeps only the iterates, about %s), lower"
                + " --inner-steps or --workers, or use --method trhg (truncated)",
            innerSteps,
            size(estimate),
            size((double) stepBytes),
            tasksAtOnce,
            size((double) availableBytes),
            size((double) innerSteps * tasksAtOnce * iterateBytes)));
  }

  /**
   * The warning for an inner loop whose iterates alone would take more than {@link #SHARE} of the
   * available memory, if it would: the estimate where a step's memory is not measured.
   *
   * @param innerSteps the steps of the inner loop
   * @param tasksAtOnce the tasks solved at the same time (workers, at most the meta-batch)
   * @param iterateBytes the bytes of one iterate
   * @param availableBytes the memory available
   * @return the warning, naming the estimate, the memory and what to do
   */
  static Optional<String> iterateWarning(
      long innerSteps, int tasksAtOnce, long iterateBytes, long availableBytes) {
    double bound = (double) innerSteps * tasksAtOnce * iterateBytes;
    if (availableBytes <= 0 || bound <= SHARE * availableBytes) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "--inner-steps %d keeps at least %s before the first meta-gradient (the iterate of every"
                + " step, %s each, for %d task(s) at once), and %s of memory is available; a"
                + " stored graph keeps every step's activations too. Lower --inner-steps or"
                + " --workers, or use --method trhg (truncated)",
            innerSteps,
            size(bound),
            size((double) iterateBytes),
            tasksAtOnce,
            size((double) availableBytes)));
  }

  /**
   * The memory available for new allocations without swapping, as Linux estimates it ({@code
   * MemAvailable} in {@code /proc/meminfo}).
   *
   * @return bytes, or 0 where it cannot be read (then nothing is said)
   */
  static long availableBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a format it does not have: no estimate of what is available
    }
    return 0;
  }

  private static String size(double bytes) {
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30))
        : bytes >= 1L << 20
            ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20))
            : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
  }
}
