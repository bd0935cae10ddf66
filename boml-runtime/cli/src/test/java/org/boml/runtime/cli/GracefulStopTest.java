package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shutdown hook of {@code train} and the training loop, without a real signal (InterruptIT
 * sends real ones): the hook waits for the loop's checkpoint and prints its outcome, gives up after
 * its patience, and does not wait before or after training.
 */
class GracefulStopTest {
  private final ByteArrayOutputStream text = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(text, true, StandardCharsets.UTF_8);

  private String printed() {
    return text.toString(StandardCharsets.UTF_8);
  }

  private static Thread hookOf(GracefulStop stop) {
    Thread hook = new Thread(stop::onShutdown);
    hook.start();
    return hook;
  }

  @Test
  void theHookWaitsForTheLoopsCheckpointAndPrintsWhereItStopped() throws Exception {
    try (GracefulStop stop = new GracefulStop(err, TimeUnit.SECONDS.toMillis(30))) {
      stop.training(() -> "kept");
      stop.stopIfRequested(); // nothing requested yet
      Thread hook = hookOf(stop);
      while (!printed().contains("stopping after the iteration in progress")) {
        Thread.sleep(5);
      }
      GracefulStop.StopRequested request =
          assertThrows(GracefulStop.StopRequested.class, stop::stopIfRequested);
      assertTrue(request.getMessage().contains("signal"));
      GracefulStop.StopRequested out = stop.stopped("boml: stopped after iteration 7 of 9");
      assertTrue(hook.isAlive(), "it waits until everything is closed");
      stop.settle();
      hook.join(10_000);
      assertTrue(printed().endsWith("boml: stopped after iteration 7 of 9\n"), printed());
      assertTrue(out != null);
    }
  }

  @Test
  void aLoopThatDoesNotStopInTimeIsLeftWithWhatIsKept() throws Exception {
    try (GracefulStop stop = new GracefulStop(err, 50)) {
      stop.training(() -> "The checkpoint of iteration 3 is kept.");
      hookOf(stop).join(10_000);
      assertTrue(
          printed().contains("did not end within")
              && printed().endsWith("The checkpoint of iteration 3 is kept.\n"),
          printed());
    }
  }

  @Test
  void beforeAndAfterTrainingTheHookDoesNotWait() throws Exception {
    try (GracefulStop stop = new GracefulStop(err, TimeUnit.SECONDS.toMillis(30))) {
      hookOf(stop).join(10_000);
      assertTrue(printed().contains("stopped before training started"), printed());
      stop.training(() -> "kept");
      stop.finished("boml: stopped during the final evaluation");
      stop.stopIfRequested(); // no safe point after training
      text.reset();
      Thread hook = hookOf(stop);
      hook.join(10_000);
      assertEquals("boml: stopped during the final evaluation\n", printed());
    }
  }

  @Test
  void aStopDuringTheLastIterationIsSettledWhenTrainingFinishes() throws Exception {
    try (GracefulStop stop = new GracefulStop(err, TimeUnit.SECONDS.toMillis(30))) {
      stop.training(() -> "kept");
      Thread hook = hookOf(stop);
      while (!printed().contains("stopping")) {
        Thread.sleep(5);
      }
      stop.finished("boml: training is complete");
      hook.join(10_000);
      assertTrue(printed().endsWith("boml: training is complete\n"), printed());
    }
  }

  @Test
  void pathsAreQuotedForTheShell() {
    assertEquals("/tmp/run-1", Shell.quote(Path.of("/tmp/run-1")));
    assertEquals("'/tmp/my run'", Shell.quote(Path.of("/tmp/my run")));
    assertEquals("'/tmp/it'\\''s'", Shell.quote(Path.of("/tmp/it's")));
  }
}
