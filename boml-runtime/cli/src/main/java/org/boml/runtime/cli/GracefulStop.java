package org.boml.runtime.cli;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ctrl-C (SIGINT) or SIGTERM during {@code train}. The JVM runs its shutdown hooks on either signal
 * while the training thread goes on; this hook asks the training loop to stop at the end of the
 * iteration in progress and waits (at most {@link #PATIENCE_SECONDS} seconds) while the loop writes
 * a checkpoint of the last completed iteration and releases the run directory, then prints where
 * the run stopped and the command that resumes it. A checkpoint being written when the signal comes
 * is finished, never cut. Before training starts, and during the final evaluation, the hook only
 * says what state the run is in.
 *
 * <p>The training loop calls {@link #training}, then {@link #stopIfRequested()} after every
 * iteration; when that throws, it saves, throws {@link #stopped(String)}, and the command, once
 * everything is closed, calls {@link #settle()}.
 */
final class GracefulStop implements AutoCloseable {
  /** How long the hook waits for the iteration in progress and the checkpoint. */
  static final long PATIENCE_SECONDS = 60;

  /** Thrown at a safe point of the training loop once a stop is requested. */
  static final class StopRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequested() {
      super("stop requested by a signal", null, false, false);
    }
  }

  private enum Phase {
    SETUP,
    TRAINING,
    FINISHED
  }

  private final PrintStream err;
  private final long patienceMillis;
  private final Thread hook;
  private Phase phase = Phase.SETUP;
  private boolean requested;
  private boolean settled;
  private String outcome = "";
  private Supplier<String> unfinished = () -> "";

  /**
   * A stop coordinator; {@link #install()} is the one with a shutdown hook.
   *
   * @param err where messages go
   * @param patienceMillis how long the hook waits for the loop
   */
  GracefulStop(PrintStream err, long patienceMillis) {
    this.err = err;
    this.patienceMillis = patienceMillis;
    this.hook = new Thread(this::onShutdown, "boml-graceful-stop");
  }

  /**
   * A coordinator whose hook runs on SIGINT and SIGTERM until it is closed; it writes to standard
   * error.
   *
   * @return the coordinator
   */
  static GracefulStop install() {
    GracefulStop stop = new GracefulStop(System.err, TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /**
   * The training loop starts.
   *
   * @param ifNotStopped what to print when the loop does not stop in time: what is kept
   */
  synchronized void training(Supplier<String> ifNotStopped) {
    phase = Phase.TRAINING;
    unfinished = ifNotStopped;
  }

  /**
   * A safe point between iterations.
   *
   * @throws StopRequested if a signal asked the run to stop
   */
  synchronized void stopIfRequested() {
    if (requested && phase == Phase.TRAINING) {
      throw new StopRequested();
    }
  }

  /**
   * The loop stopped at a request and saved what it could.
   *
   * @param message where the run stopped and how to resume it
   * @return the exception to throw out of the command, so that everything is closed before {@link
   *     #settle()}
   */
  synchronized StopRequested stopped(String message) {
    outcome = message;
    return new StopRequested();
  }

  /** Everything is closed: the hook may print the outcome and let the JVM end. */
  synchronized void settle() {
    settled = true;
    notifyAll();
  }

  /**
   * Training is complete; a stop from now on does not wait.
   *
   * @param message what to print on a stop: what is saved and what is left to do
   */
  synchronized void finished(String message) {
    phase = Phase.FINISHED;
    outcome = message;
    if (requested) {
      settle(); // the hook waited for a safe point that will not come
    }
  }

  /** The hook's work: ask the loop to stop, wait for it, and report. */
  synchronized void onShutdown() {
    if (phase == Phase.SETUP) {
      err.println("boml: stopped before training started; nothing was trained");
      return;
    }
    requested = true;
    if (phase == Phase.TRAINING) {
      err.println(
          "boml: stopping after the iteration in progress to write a checkpoint (at most "
              + PATIENCE_SECONDS
              + " s; kill -9 stops at once and keeps the last checkpoint)");
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMillis);
      long left;
      while (!settled && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (!settled) {
        err.println(
            "boml: the iteration in progress did not end within "
                + PATIENCE_SECONDS
                + " s; stopping without a new checkpoint. "
                + unfinished.get());
        return;
      }
    }
    if (!outcome.isEmpty()) {
      err.println(outcome);
    }
  }

  /** Removes the hook; a stop requested but not settled is released. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down (the hook runs), or the hook was never installed
    }
    synchronized (this) {
      if (requested && !settled) {
        settle();
      }
    }
  }
}
