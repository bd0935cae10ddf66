package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.boml.api.Variables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @Test
  void specAndParametersRoundTrip(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp.resolve("run"));
    RunSpec spec = new RunSpec();
    spec.dataset = "omniglot";
    spec.datasetOptions.put("data-dir", "/data");
    spec.innerSteps = 5;
    spec.inputShape = new long[] {1, 28, 28};
    run.saveSpec(spec);
    RunSpec loaded = run.loadSpec();
    assertEquals("omniglot", loaded.dataset);
    assertEquals(Map.of("data-dir", "/data"), loaded.datasetOptions);
    assertEquals(5, loaded.innerSteps);
    assertArrayEquals(new long[] {1, 28, 28}, loaded.inputShape);
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables x =
          Variables.of(
              List.of("w", "b"),
              List.of(
                  manager.create(new double[] {1.5, -2, 1e-300}),
                  manager.create(new float[] {3}).reshape(1, 1)));
      run.saveParameters(x);
      Variables back = run.loadParameters(manager);
      assertEquals(
          java.util.Set.of("w", "b"), back.nameSet(), "safetensors keeps names, not their order");
      assertArrayEquals(new double[] {1.5, -2, 1e-300}, back.get("w").toDoubleArray(), 0);
      assertEquals(DataType.FLOAT32, back.get("b").getDataType());
      assertEquals(new ai.djl.ndarray.types.Shape(1, 1), back.get("b").getShape());
    }
    try (Stream<Path> files = Files.list(run.path())) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")),
          "no temporary file is left");
    }
  }

  @Test
  void damagedFilesAreReportedByName(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    IOException missing = assertThrows(IOException.class, run::loadSpec);
    assertTrue(missing.getMessage().contains("not a run directory"), missing.getMessage());
    Files.writeString(temp.resolve(RunDirectory.CONFIG), "{ \"innerSteps\": \"many\" }");
    IOException invalid = assertThrows(IOException.class, run::loadSpec);
    assertTrue(invalid.getMessage().contains(RunDirectory.CONFIG), invalid.getMessage());
    try (NDManager manager = NDManager.newBaseManager()) {
      run.saveParameters(
          Variables.of(Map.of("w", manager.ones(new ai.djl.ndarray.types.Shape(100)))));
      Path file = temp.resolve(RunDirectory.PARAMETERS);
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      IOException truncated = assertThrows(IOException.class, () -> run.loadParameters(manager));
      assertTrue(truncated.getMessage().contains(RunDirectory.PARAMETERS), truncated.getMessage());
    }
  }
}
