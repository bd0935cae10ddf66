package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.InvalidPathException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Under a locale whose character set is not UTF-8 (LANG=POSIX: ASCII), a non-ASCII argument arrives
 * as replacement characters; it is refused with the fix. {@code LocaleIT} runs the real thing.
 */
class FileNameEncodingTest {
  private String saved;

  @BeforeEach
  void posixLocale() {
    saved = System.getProperty("sun.jnu.encoding");
    System.setProperty("sun.jnu.encoding", "ANSI_X3.4-1968");
  }

  @AfterEach
  void restore() {
    System.setProperty("sun.jnu.encoding", saved);
  }

  @Test
  void anArgumentThatLostItsCharactersIsRefusedWithTheFix() {
    CliRun run = CliRun.of("train", "--out", "/tmp/r\uFFFD\uFFFDn");
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().startsWith("boml: argument '/tmp/r??n' holds characters"), run.err());
    assertTrue(run.err().contains("ANSI_X3.4-1968, not UTF-8"), run.err());
    assertTrue(run.err().contains("LC_ALL=C.UTF-8"), run.err());
  }

  @Test
  void aPathFromElsewhereGetsTheFixToo() {
    String hint =
        FileNameEncoding.hintFor(
            new IllegalStateException(new InvalidPathException("/tmp/\u00fc", "Malformed input")));
    assertTrue(hint.startsWith("; the locale's character set") && hint.contains("C.UTF-8"), hint);
    assertEquals("", FileNameEncoding.hintFor(new IllegalStateException("other")));
  }

  @Test
  void underUtf8NothingIsRefused() {
    System.setProperty("sun.jnu.encoding", "UTF-8");
    FileNameEncoding.checkArguments(new String[] {"/tmp/r\uFFFDn"});
    assertEquals(
        "", FileNameEncoding.hintFor(new InvalidPathException("/tmp/\u00fc", "Malformed input")));
  }
}
