package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.boml.api.Dataset;
import org.boml.api.Hypergradient;
import org.boml.api.TaskKind;
import org.boml.runtime.dynamics.GradientDescent;
import org.boml.runtime.model.Mlp;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.OuterOptimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints round-trip exactly, and a checkpoint that is truncated, is not a BOML checkpoint, or
 * comes from another model shape is refused with the file named, leaving the learner as it was.
 */
class CheckpointTest {
  @TempDir Path temp;

  private static MetaLearner learner(List<Integer> hidden) {
    Dataset dataset = mock(Dataset.class);
    when(dataset.inputShape()).thenReturn(new Shape(2));
    when(dataset.outputs()).thenReturn(1);
    when(dataset.taskKind()).thenReturn(TaskKind.REGRESSION);
    return MetaLearner.builder()
        .dataset(dataset)
        .model(new Mlp(2, hidden, 1))
        .dynamics("gd", new GradientDescent(0.1))
        .hypergradient(
            "unused",
            (problem, dynamics, x, steps, d) -> Hypergradient.of(x, problem.upperObjective(x, x)))
        .optimizer(OuterOptimizer.adam(), 0.01)
        .dataType(DataType.FLOAT64)
        .seed(7)
        .build();
  }

  @Test
  void aCheckpointRestoresTheSameState() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    try (MetaLearner saved = learner(List.of(3));
        MetaLearner restored = learner(List.of(3))) {
      saved.metaParameters().get("head.weight").set(new double[] {1, 2, 3});
      Checkpoint.save(run, saved);
      assertEquals(0, Checkpoint.restore(run, restored));
      assertArrayEquals(
          new double[] {1, 2, 3}, restored.metaParameters().get("head.weight").toDoubleArray(), 0);
    }
  }

  @Test
  void theCountOfSkippedTasksSurvivesACheckpoint() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    try (MetaLearner saved = learner(List.of(3));
        MetaLearner restored = learner(List.of(3))) {
      saved.restore(saved.metaParameters(), saved.optimizerState(), 0, 9, 2);
      Checkpoint.save(run, saved);
      assertEquals(9, Checkpoint.restore(run, restored));
      assertEquals(2, restored.skippedTasks(), "the cap of --skip-bad-tasks counts them");
      assertEquals(0, restored.optimizerSteps());
    }
  }

  @Test
  void aCheckpointOfAnotherModelShapeIsRefusedByName() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    try (MetaLearner wide = learner(List.of(5));
        MetaLearner narrow = learner(List.of(3))) {
      Checkpoint.save(run, wide);
      double[] before = narrow.metaParameters().get("head.weight").toDoubleArray();
      IOException error = assertThrows(IOException.class, () -> Checkpoint.restore(run, narrow));
      assertTrue(
          error.getMessage().contains(temp.resolve(Checkpoint.FILE).toString())
              && error.getMessage().contains("another model shape"),
          error.getMessage());
      assertArrayEquals(before, narrow.metaParameters().get("head.weight").toDoubleArray(), 0);
    }
  }

  @Test
  void truncatedAndForeignCheckpointsAreRefusedByName() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Path file = temp.resolve(Checkpoint.FILE);
    try (MetaLearner learner = learner(List.of(3))) {
      Checkpoint.save(run, learner);
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(bytes, bytes.length - 9));
      IOException truncated =
          assertThrows(IOException.class, () -> Checkpoint.restore(run, learner));
      assertTrue(
          truncated.getMessage().contains(file.toString())
              && truncated.getMessage().contains("truncated or corrupt"),
          truncated.getMessage());

      try (NDManager manager = NDManager.newBaseManager()) {
        NDList foreign = new NDList(manager.ones(new Shape(2)));
        foreign.get(0).setName("weights");
        Files.write(file, foreign.encode(NDList.Encoding.SAFETENSORS));
      }
      IOException notOurs = assertThrows(IOException.class, () -> Checkpoint.restore(run, learner));
      assertTrue(
          notOurs.getMessage().contains(file.toString())
              && notOurs.getMessage().contains("is not a BOML checkpoint"),
          notOurs.getMessage());

      Files.writeString(file, "{\"iteration\": 3}");
      IOException text = assertThrows(IOException.class, () -> Checkpoint.restore(run, learner));
      assertTrue(text.getMessage().contains(file.toString()), text.getMessage());
    }
  }
}
