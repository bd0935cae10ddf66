package org.boml.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicInteger;
import org.boml.api.Dataset;
import org.boml.api.MetaSplit;
import org.boml.api.Split;
import org.boml.api.Task;
import org.boml.api.TaskKind;
import org.boml.runtime.engine.ComputeEngines;
import org.junit.jupiter.api.Test;

class PresampledDatasetTest {
  /** Tasks whose inputs are the seed; counts how often it is sampled. */
  private static final class SeedDataset implements Dataset {
    final AtomicInteger samples = new AtomicInteger();

    @Override
    public Task sample(MetaSplit split, long seed, NDManager manager) {
      samples.incrementAndGet();
      Split data =
          new Split(
              manager.create(new float[] {seed, split.ordinal()}),
              manager.create(new int[] {1, 1}));
      return new Task(data, data);
    }

    @Override
    public Shape inputShape() {
      return new Shape(1);
    }

    @Override
    public int outputs() {
      return 1;
    }

    @Override
    public TaskKind taskKind() {
      return TaskKind.REGRESSION;
    }

    @Override
    public String describe() {
      return "seeds";
    }
  }

  @Test
  void preparedSeedsAreCopiesAndOthersAreSampled() {
    ComputeEngines.get().prepareThread();
    SeedDataset source = new SeedDataset();
    try (NDManager manager = NDManager.newBaseManager();
        PresampledDataset dataset = new PresampledDataset(source, new long[] {3, 4, 3}, manager)) {
      assertEquals(2, dataset.preparedTasks());
      assertEquals(2, source.samples.get());
      try (NDManager task = manager.newSubManager()) {
        Task first = dataset.sample(MetaSplit.TRAIN, 3, task);
        Task again = dataset.sample(MetaSplit.TRAIN, 3, task);
        assertEquals(2, source.samples.get(), "prepared tasks are not sampled again");
        assertArrayEquals(new float[] {3, 0}, first.train().inputs().toFloatArray());
        assertNotSame(first.train().inputs(), again.train().inputs());
        assertEquals(task, first.train().inputs().getManager());
        assertArrayEquals(
            new float[] {3, 2},
            dataset.sample(MetaSplit.TEST, 3, task).train().inputs().toFloatArray());
        assertArrayEquals(
            new float[] {9, 0},
            dataset.sample(MetaSplit.TRAIN, 9, task).train().inputs().toFloatArray());
        assertEquals(4, source.samples.get());
      }
    }
  }
}
