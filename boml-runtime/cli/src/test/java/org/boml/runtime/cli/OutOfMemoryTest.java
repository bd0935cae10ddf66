package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;

/** An out-of-memory error is told in one line naming the heap's limit and how to raise it. */
class OutOfMemoryTest {
  @Test
  void aWrappedErrorIsFoundAndToldInOneLine() {
    OutOfMemoryError memory = new OutOfMemoryError("Java heap space");
    IllegalStateException wrapped =
        new IllegalStateException("task 0 failed", new RuntimeException(memory));
    assertSame(memory, OutOfMemory.in(wrapped).orElseThrow());
    assertEquals(Optional.empty(), OutOfMemory.in(new IllegalStateException("no")));
    String message = OutOfMemory.message(memory, 10L << 20);
    assertTrue(
        message.startsWith(
            "boml: out of memory (Java heap space) with a Java heap of at most 10 MiB"),
        message);
    assertTrue(message.contains("BOML_HEAP=8g") && message.contains("-Xmx"), message);
    assertEquals(-1, message.indexOf('\n'), "one line");
  }

  /**
   * Memory that runs out while the service loader loads a provider's classes arrives as the cause
   * of a {@link ServiceConfigurationError}, and is told in one line too; other errors go on.
   */
  @Test
  void anErrorThatEscapesTheCommandLineIsToldInOneLineIfMemoryRanOut() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ServiceConfigurationError loading =
        new ServiceConfigurationError(
            "ComputeEngine: Unable to get public provider() method",
            new OutOfMemoryError("Java heap space"));
    assertEquals(1, Main.outOfMemory(loading, err));
    String told = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(told.startsWith("boml: out of memory (Java heap space)"), told);
    assertEquals(1, told.lines().count(), told);

    StackOverflowError other = new StackOverflowError();
    assertSame(other, assertThrows(StackOverflowError.class, () -> Main.outOfMemory(other, err)));
  }
}
