package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A command whose standard output cannot be written (a full disk, a closed descriptor) exits with 1
 * and says so on standard error, although PrintStream hides the failure.
 */
class StandardOutputTest {
  @Test
  void aLostWriteToStandardOutputFailsTheCommand() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(
          new PrintStream(
              new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                  throw new IOException("No space left on device");
                }
              },
              true,
              StandardCharsets.UTF_8));
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Main.run("plugins", "--json");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String stderr = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, stderr);
    assertTrue(stderr.startsWith("boml: cannot write to standard output"), stderr);
  }

  @Test
  void aCommandThatAlreadyFailedKeepsItsCode() {
    PrintStream broken =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("Bad file descriptor");
              }
            },
            true,
            StandardCharsets.UTF_8);
    broken.print("x");
    java.io.StringWriter message = new java.io.StringWriter();
    assertEquals(2, StandardOutput.verified(2, broken, new java.io.PrintWriter(message)));
    assertTrue(message.toString().contains("standard output"), message.toString());
    assertEquals(0, StandardOutput.verified(0, System.out, new java.io.PrintWriter(message)));
  }
}
