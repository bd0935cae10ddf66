package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
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
}
