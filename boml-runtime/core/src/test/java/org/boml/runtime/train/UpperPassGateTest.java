package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Variables;
import org.boml.runtime.engine.ComputeEngine;
import org.junit.jupiter.api.Test;

/**
 * The gate of {@link UpperPasses#ONE_AT_A_TIME}: which pools close, that a second worker waits at
 * its upper objective and before its gradients while a task's upper pass runs, that the worker
 * inside widens and narrows its own threads, and that a final gradient (or the task's end) lets the
 * next one in. Threads wait on the gate for real; a wait that should block is given 300 ms.
 */
class UpperPassGateTest {
  private static final long BLOCKED_MS = 300;
  private static final long SECONDS = 10;

  /** An engine whose workers have one intra-op thread; it records who set a thread's count. */
  private static ComputeEngine engine(List<String> threadSettings) {
    ComputeEngine engine = mock(ComputeEngine.class);
    when(engine.intraOpThreads()).thenReturn(1);
    when(engine.prepareWideThreads(anyInt())).thenReturn(true);
    doAnswer(
            call -> {
              threadSettings.add(Thread.currentThread().getName() + "=" + call.getArgument(0));
              return null;
            })
        .when(engine)
        .setCallingThreadIntraOpThreads(anyInt());
    return engine;
  }

  private static CompletableFuture<Void> onThread(String name, Runnable work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                work.run();
                done.complete(null);
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  private static void assertBlocked(CompletableFuture<Void> waiting) {
    assertThrows(
        TimeoutException.class,
        () -> waiting.get(BLOCKED_MS, TimeUnit.MILLISECONDS),
        "the second worker went on while the first one's upper pass ran");
  }

  @Test
  void poolsCloseOnlyForOneAtATimeWithSeveralWorkersAndWidenToAllTheirThreads() {
    ComputeEngine engine = engine(new CopyOnWriteArrayList<>());
    assertEquals(
        List.of(UpperPassGate.OPEN, UpperPassGate.OPEN),
        UpperPassGate.forPools(UpperPasses.CONCURRENT, engine, 2, 6));
    verifyNoInteractions(engine);
    // 3 workers on two devices: 2 and 1
    List<UpperPassGate> gates = UpperPassGate.forPools(UpperPasses.ONE_AT_A_TIME, engine, 2, 3);
    assertTrue(gates.get(0).closes());
    assertEquals(2, gates.get(0).wideThreads());
    assertSame(UpperPassGate.OPEN, gates.get(1));
    verify(engine).prepareWideThreads(2);

    when(engine.prepareWideThreads(anyInt())).thenReturn(false);
    UpperPassGate narrow = UpperPassGate.forPools(UpperPasses.ONE_AT_A_TIME, engine, 1, 4).get(0);
    assertTrue(narrow.closes());
    assertEquals(0, narrow.wideThreads(), "an engine that cannot widen a thread keeps its count");

    ComputeEngine unset = engine(new CopyOnWriteArrayList<>());
    when(unset.intraOpThreads()).thenReturn(0);
    UpperPassGate kept = UpperPassGate.forPools(UpperPasses.ONE_AT_A_TIME, unset, 1, 2).get(0);
    assertEquals(0, kept.wideThreads(), "without a set count there is no count to widen from");
    verify(unset, never()).prepareWideThreads(anyInt());
  }

  @Test
  void anOpenGateHandsBackTheProblemAndTheDifferentiatorAndNeverWaits() throws Exception {
    BilevelProblem problem = mock(BilevelProblem.class);
    Differentiator differentiator = mock(Differentiator.class);
    assertSame(problem, UpperPassGate.OPEN.guard(problem));
    assertSame(differentiator, UpperPassGate.OPEN.guard(differentiator));
    UpperPassGate.OPEN.enter();
    onThread("other", UpperPassGate.OPEN::enter).get(SECONDS, TimeUnit.SECONDS);
    UpperPassGate.OPEN.awaitTurn();
    UpperPassGate.OPEN.leave();
  }

  @Test
  void aSecondUpperPassWaitsUntilTheFirstLeavesAndTheWorkerInsideWidens() throws Exception {
    List<String> settings = new CopyOnWriteArrayList<>();
    UpperPassGate gate = new UpperPassGate(engine(settings), 1, 2);
    CompletableFuture<Void> firstInside = new CompletableFuture<>();
    CompletableFuture<Void> firstMayLeave = new CompletableFuture<>();
    CompletableFuture<Void> first =
        onThread(
            "first",
            () -> {
              gate.enter();
              gate.enter(); // a worker inside stays inside
              gate.awaitTurn(); // and never waits for itself
              firstInside.complete(null);
              firstMayLeave.join();
              gate.leave();
            });
    firstInside.get(SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("first=2"), settings);

    CompletableFuture<Void> secondPass =
        onThread(
            "second",
            () -> {
              gate.enter();
              gate.leave();
            });
    CompletableFuture<Void> thirdGradient = onThread("third", gate::awaitTurn);
    assertBlocked(secondPass);
    assertBlocked(thirdGradient);
    gate.leave(); // a worker that is not inside leaves nothing

    firstMayLeave.complete(null);
    first.get(SECONDS, TimeUnit.SECONDS);
    secondPass.get(SECONDS, TimeUnit.SECONDS);
    thirdGradient.get(SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("first=2", "first=1", "second=2", "second=1"), settings);
  }

  @Test
  void theUpperObjectiveEntersAndTheFinalGradientLeavesEvenWhenItFails() throws Exception {
    UpperPassGate gate = new UpperPassGate(engine(new CopyOnWriteArrayList<>()), 1, 0);
    BilevelProblem problem = mock(BilevelProblem.class);
    Differentiator exact = mock(Differentiator.class);
    NDArray loss = mock(NDArray.class);
    when(problem.upperObjective(null, null)).thenReturn(loss);
    when(exact.finalGradient(loss, List.<NDArray>of())).thenThrow(new IllegalStateException("x"));
    BilevelProblem guarded = gate.guard(problem);
    Differentiator differentiator = gate.guard(exact);

    assertSame(loss, guarded.upperObjective((Variables) null, null));
    CompletableFuture<Void> other =
        onThread("other", () -> differentiator.gradient(loss, List.of(), false));
    assertBlocked(other);
    assertThrows(IllegalStateException.class, () -> differentiator.finalGradient(loss, List.of()));
    other.get(SECONDS, TimeUnit.SECONDS);
    verify(exact).gradient(loss, List.of(), false);
    // the next upper pass enters
    onThread("next", () -> guarded.upperObjective((Variables) null, null))
        .get(SECONDS, TimeUnit.SECONDS);
  }
}
