package org.boml.runtime.cli.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import org.boml.runtime.cli.CheckPluginCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@link SubcommandRun}: the captured output, the exit codes and the provider check. */
class SubcommandRunTest {
  /** Prints its word, or throws with it as the message. */
  @Command(name = "echo")
  static final class Echo implements Subcommand {
    @Option(names = "--word", required = true)
    String word;

    @Option(names = "--fail")
    boolean fail;

    @Override
    public Integer call() {
      if (fail) {
        throw new IllegalStateException("refused " + word);
      }
      System.out.print(word);
      return 0;
    }
  }

  @Test
  void capturesStandardOutputAndRestoresIt() {
    PrintStream before = System.out;
    SubcommandRun run = SubcommandRun.of(new Echo(), "--word", "héllo");
    assertSame(before, System.out);
    assertEquals(new SubcommandRun(0, "héllo", ""), run);
  }

  @Test
  void anExceptionOfTheCommandIsItsMessageWithExitCodeOne() {
    SubcommandRun run = SubcommandRun.of(new Echo(), "--word", "it", "--fail");
    assertEquals(1, run.code(), run.toString());
    assertEquals("", run.out());
    assertEquals("refused it", run.err().strip());
  }

  @Test
  void aBadCommandLineIsPicocliSMessageWithExitCodeTwo() {
    SubcommandRun run = SubcommandRun.of(new Echo());
    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("Missing required option: '--word"), run.err());
  }

  @Test
  void knowsWhichSubcommandsTheirModuleProvides() {
    assertTrue(SubcommandRun.isProvided(CheckPluginCommand.class));
    assertFalse(SubcommandRun.isProvided(Echo.class));
  }
}
