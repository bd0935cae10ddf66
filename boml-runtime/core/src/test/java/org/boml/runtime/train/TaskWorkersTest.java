package org.boml.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How worker threads are bound to devices and tasks assigned to them (no engine needed). */
class TaskWorkersTest {
  @Test
  void workersAreSharedEvenlyAndEveryDeviceGetsOne() {
    assertEquals(
        List.of(2, 1), List.of(TaskWorkers.threadsOf(0, 2, 3), TaskWorkers.threadsOf(1, 2, 3)));
    assertEquals(
        List.of(2, 2), List.of(TaskWorkers.threadsOf(0, 2, 4), TaskWorkers.threadsOf(1, 2, 4)));
    assertEquals(1, TaskWorkers.threadsOf(2, 3, 1), "a device beyond the workers still gets one");
  }

  @Test
  void taskIRunsOnDeviceIModDAndResultsComeInTaskOrder() {
    List<Device> devices = List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (TaskWorkers workers = new TaskWorkers(devices, 4)) {
      List<String> results =
          workers.runOrdered(
              2,
              9,
              (index, device) -> {
                threads.add(Thread.currentThread().getName());
                assertTrue(
                    Thread.currentThread().getName().startsWith("boml-worker-" + device + "-"));
                return index + "@" + device;
              });
      assertEquals(
          List.of(
              "2@gpu(2)", "3@gpu(0)", "4@gpu(1)", "5@gpu(2)", "6@gpu(0)", "7@gpu(1)", "8@gpu(2)"),
          results);
      assertEquals(Device.gpu(1), workers.deviceOf(7));
    }
    assertTrue(threads.size() >= 3 && threads.size() <= 4, threads.toString());
  }

  @Test
  void aFailingTaskFailsTheCallWithItsOwnException() {
    try (TaskWorkers workers = new TaskWorkers(List.of(Device.cpu()), 2)) {
      IllegalStateException error =
          assertThrows(
              IllegalStateException.class,
              () ->
                  workers.runOrdered(
                      0,
                      3,
                      (index, device) -> {
                        if (index == 1) {
                          throw new IllegalStateException("task 1 broke");
                        }
                        return index;
                      }));
      assertEquals("task 1 broke", error.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new TaskWorkers(List.of(), 1));
  }

  @Test
  void aFailureReturnsOnlyAfterTheTasksStillRunningHaveEnded() {
    AtomicBoolean slowTaskEnded = new AtomicBoolean();
    CountDownLatch slowTaskStarted = new CountDownLatch(1);
    try (TaskWorkers workers = new TaskWorkers(List.of(Device.cpu()), 2)) {
      assertThrows(
          IllegalStateException.class,
          () ->
              workers.runOrdered(
                  0,
                  2,
                  (index, device) -> {
                    if (index == 0) {
                      slowTaskStarted.await();
                      throw new IllegalStateException("task 0 broke");
                    }
                    slowTaskStarted.countDown();
                    Thread.sleep(200);
                    slowTaskEnded.set(true);
                    return index;
                  }));
      assertTrue(slowTaskEnded.get(), "the failure waited for the task that was running");
    }
  }
}
