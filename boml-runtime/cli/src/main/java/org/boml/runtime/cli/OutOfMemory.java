package org.boml.runtime.cli;

import java.util.Optional;

/**
 * What {@code boml} says when the JVM runs out of memory, in place of the error's stack trace: what
 * ran out, the Java heap's limit and how to raise it, on one line.
 */
final class OutOfMemory {
  private static final String ADVICE =
      "raise the heap with BOML_HEAP (./boml's default is 4g), e.g. BOML_HEAP=8g ./boml ..., or"
          + " with -Xmx8g where java runs BOML directly";

  /** Said when even the message cannot be built; made when the class is loaded. */
  private static final String FALLBACK = "boml: out of memory: " + ADVICE;

  private OutOfMemory() {}

  /**
   * The {@link OutOfMemoryError} an error is, or was caused by (a worker's error arrives wrapped).
   *
   * @param error the error a command ended with
   * @return the out-of-memory error, if there is one in the chain
   */
  static Optional<OutOfMemoryError> in(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof OutOfMemoryError memory) {
        return Optional.of(memory);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The message for an out-of-memory error.
   *
   * @param error the error
   * @param maxHeapBytes the heap's limit, {@link Runtime#maxMemory()}
   * @return one line that names the heap setting and how to raise it
   */
  @SuppressWarnings("UnnecessaryStringBuilder") // '+' would bootstrap a method handle, see below
  static String message(OutOfMemoryError error, long maxHeapBytes) {
    // Built with a StringBuilder: String.format loads locale data and '+' bootstraps a method
    // handle on its first use, either of which can fail for want of the memory that just ran out.
    try {
      return new StringBuilder(256)
          .append("boml: out of memory (")
          .append(
              error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage())
          .append(") with a Java heap of at most ")
          .append(maxHeapBytes >> 20)
          .append(" MiB: ")
          .append(ADVICE)
          .toString();
    } catch (OutOfMemoryError | LinkageError e) {
      return FALLBACK;
    }
  }
}
