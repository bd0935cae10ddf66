package org.boml.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.boml.api.ParameterSpec;
import org.boml.runtime.problem.Family;

/**
 * The memory a long inner loop keeps, estimated before the first step: every method that
 * differentiates through the lower level keeps at least the iterate of every step (rhg's replay
 * strategy keeps exactly that; its stored graph, {@code strategy=graph}, keeps the activations of
 * every step besides). With {@code --inner-steps 100000} that grew without a word until the machine
 * ran out of memory; {@code train} now warns, before training, when this lower bound for the tasks
 * that run at once exceeds half of the memory available.
 */
final class TrajectoryMemory {
  /** The part of the available memory the lower bound may take before {@code train} warns. */
  static final double SHARE = 0.5;

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

  /**
   * The warning for an inner loop whose iterates alone would take more than {@link #SHARE} of the
   * available memory, if it would.
   *
   * @param innerSteps the steps of the inner loop
   * @param tasksAtOnce the tasks solved at the same time (workers, at most the meta-batch)
   * @param iterateBytes the bytes of one iterate
   * @param availableBytes the memory available
   * @return the warning, naming the estimate, the memory and what to do
   */
  static Optional<String> warning(
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
                + " stored graph (rhg's default strategy=graph) keeps every step's activations"
                + " too. Lower --inner-steps or --workers, or with rhg use --method-option"
                + " strategy=replay (keeps only the iterates), or --method trhg (truncated)",
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
