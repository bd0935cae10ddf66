package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.boml.api.Dataset;
import org.boml.api.Hypergradient;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.plugins.standardmodels.Mlp;
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
    return learner(hidden, OuterOptimizer.adam());
  }

  private static MetaLearner learner(List<Integer> hidden, OuterOptimizer optimizer) {
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
        .optimizer(optimizer, 0.01)
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

  /** An Adam learner after three steps: it has moments to save. */
  private static MetaLearner adamAfterThreeSteps() {
    MetaLearner adam = learner(List.of(3));
    Map<String, NDArray> moments = new LinkedHashMap<>();
    for (String name : adam.metaParameters().names()) {
      moments.put("m/" + name, adam.metaParameters().get(name).onesLike());
      moments.put("v/" + name, adam.metaParameters().get(name).onesLike());
    }
    adam.restore(adam.metaParameters(), Variables.of(moments), 3, 3, 0);
    return adam;
  }

  /** The checkpoint as an earlier version wrote it: the same tensors, no metadata. */
  private void writeWithoutMetadata(MetaLearner learner, double poison) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList list = new NDList();
      for (String name : learner.metaParameters().names()) {
        NDArray value = learner.metaParameters().get(name).duplicate();
        if (name.equals("head.weight")) {
          double[] values = value.toDoubleArray();
          values[0] = poison;
          value.set(values);
        }
        value.setName("x/" + name);
        list.add(value);
      }
      Variables state = learner.optimizerState();
      for (String name : state.names()) {
        NDArray value = state.get(name).duplicate();
        value.setName("optimizer/" + name);
        list.add(value);
      }
      list.add(named(manager.create((long) learner.completedIterations()), "iteration"));
      list.add(named(manager.create(learner.optimizerSteps()), "optimizer-steps"));
      Files.write(temp.resolve(Checkpoint.FILE), list.encode(NDList.Encoding.SAFETENSORS));
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  @Test
  void aChangedBitIsReportedNamingTheFileAndTheTensor() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Path file = temp.resolve(Checkpoint.FILE);
    try (MetaLearner learner = learner(List.of(3))) {
      Checkpoint.save(run, learner);
      byte[] bytes = Files.readAllBytes(file);
      long header = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      bytes[(int) (8 + header + 2)] ^= 0x10; // in the first tensor's data
      Files.write(file, bytes);
      double[] before = learner.metaParameters().get("head.weight").toDoubleArray();
      IOException damaged = assertThrows(IOException.class, () -> Checkpoint.restore(run, learner));
      assertTrue(
          damaged.getMessage().startsWith(file + " is damaged: tensor 'x/")
              && damaged.getMessage().contains("does not match its SHA-256 checksum"),
          damaged.getMessage());
      assertArrayEquals(before, learner.metaParameters().get("head.weight").toDoubleArray(), 0);
    }
  }

  @Test
  void aCheckpointWithoutChecksumsIsLoadedWithAWarning() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    try (MetaLearner saved = learner(List.of(3));
        MetaLearner restored = learner(List.of(3))) {
      writeWithoutMetadata(saved, 0.25);
      List<String> warnings = new ArrayList<>();
      assertEquals(0, Checkpoint.restore(run, restored, warnings::add));
      assertEquals(0.25, restored.metaParameters().get("head.weight").toDoubleArray()[0]);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("has no checksums"), warnings.get(0));
    }
  }

  @Test
  void aValueThatIsNotFiniteIsReportedAsDamageNamingTheTensor() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Path file = temp.resolve(Checkpoint.FILE);
    try (MetaLearner learner = learner(List.of(3))) {
      writeWithoutMetadata(learner, Double.NaN);
      IOException old = assertThrows(IOException.class, () -> Checkpoint.restore(run, learner));
      assertTrue(
          old.getMessage().startsWith(file + " is damaged: tensor 'x/head.weight' holds 1 of 3")
              && old.getMessage().contains("not finite")
              && !old.getMessage().contains("--meta-lr"),
          old.getMessage());

      learner
          .metaParameters()
          .get("head.weight")
          .set(new double[] {1, Double.NEGATIVE_INFINITY, 3});
      Checkpoint.save(run, learner);
      IOException checked = assertThrows(IOException.class, () -> Checkpoint.restore(run, learner));
      assertTrue(
          checked.getMessage().contains("tensor 'x/head.weight' holds 1 of 3"),
          "a checksum does not make a NaN good: " + checked.getMessage());
    }
  }

  @Test
  void theStateOfAnotherOuterOptimizerIsRefusedNamingBoth() throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Path file = temp.resolve(Checkpoint.FILE);
    try (MetaLearner adam = adamAfterThreeSteps();
        MetaLearner sgd = learner(List.of(3), OuterOptimizer.sgd())) {
      Checkpoint.save(run, adam);
      IOException named = assertThrows(IOException.class, () -> Checkpoint.restore(run, sgd));
      assertTrue(
          named.getMessage().startsWith(file + " holds the state of outer optimizer 'adam'")
              && named.getMessage().contains("has 'sgd'"),
          named.getMessage());

      writeWithoutMetadata(adam, 0.5);
      IOException old = assertThrows(IOException.class, () -> Checkpoint.restore(run, sgd));
      assertTrue(
          old.getMessage().contains("holds outer-optimizer state [m, v]")
              && old.getMessage().contains("outer optimizer 'sgd'"),
          old.getMessage());
      assertEquals(0, sgd.completedIterations(), "the run does not continue");
    }
  }
}
