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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /**
   * Every kind of file a run writes gets mode 0644 less the umask, the mode of a file the user's
   * other tools create (the files written through a temporary file were 0600, the metrics 0644).
   */
  @Test
  void everyFileARunWritesHasOneMode(@TempDir Path temp) throws IOException {
    Path directory = temp.resolve("run");
    RunDirectory run = new RunDirectory(directory);
    try (RunLock lock = RunLock.acquire(directory, note -> {});
        NDManager manager = NDManager.newBaseManager()) {
      run.saveSpec(new RunSpec());
      run.saveParameters(Variables.of(List.of("w"), List.of(manager.create(new float[] {1, 2}))));
      run.saveJson(RunDirectory.RESULT, Map.of("episodes", 1));
      run.writeFile("loss.png", new byte[] {1});
      MetricsLog.open(run, 0).close();
      MetricsLog.open(run, 0).close(); // a resume rewrites the log
    }
    Path reference =
        Files.createFile(
            temp.resolve("reference"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
    assertTrue(
        expected.contains(PosixFilePermission.OWNER_WRITE)
            && !expected.contains(PosixFilePermission.GROUP_WRITE)
            && !expected.contains(PosixFilePermission.OTHERS_WRITE),
        "rw-r--r-- less the umask: " + PosixFilePermissions.toString(expected));
    List<String> names =
        List.of(
            RunLock.FILE,
            RunDirectory.CONFIG,
            RunDirectory.PARAMETERS,
            RunDirectory.RESULT,
            "loss.png",
            MetricsLog.FILE);
    for (String name : names) {
      assertEquals(
          PosixFilePermissions.toString(expected),
          PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(name))),
          name);
    }
  }

  @Test
  void aResultWithoutAConfidenceIntervalIsWrittenWithNull(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Map<String, Object> result = new java.util.LinkedHashMap<>();
    result.put("episodes", 1);
    result.put("after", Map.of("ci95", Double.NaN));
    run.saveJson(RunDirectory.RESULT, result);
    assertEquals(
        "{\n  \"episodes\": 1,\n  \"after\": {\n    \"ci95\": null\n  }\n}",
        Files.readString(temp.resolve(RunDirectory.RESULT)),
        "the 95% interval of one episode is not a number");
  }

  @Test
  void anIncompleteConfigurationIsRefusedNamingTheMissingKeys(@TempDir Path temp)
      throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Files.writeString(temp.resolve(RunDirectory.CONFIG), "{}");
    IOException empty = assertThrows(IOException.class, run::loadSpec);
    assertTrue(
        empty.getMessage().contains(temp.resolve(RunDirectory.CONFIG) + " is not a complete run")
            && empty.getMessage().contains("lacks " + RunSpec.REQUIRED_KEYS)
            && empty.getMessage().contains("--overwrite"),
        empty.getMessage());
    run.saveSpec(new RunSpec());
    String full = Files.readString(temp.resolve(RunDirectory.CONFIG));
    Files.writeString(
        temp.resolve(RunDirectory.CONFIG),
        full.replaceFirst("\\s*\"seed\": 0,", "").replace("\"outputs\": 0", "\"outputs\": null"));
    IOException partial = assertThrows(IOException.class, run::loadSpec);
    assertTrue(partial.getMessage().contains("lacks [seed, outputs]"), partial.getMessage());
    Files.writeString(temp.resolve(RunDirectory.CONFIG), "");
    assertThrows(IOException.class, run::loadSpec, "an empty file");
  }

  @Test
  void keysAddedAfterTheFirstReleaseMayBeAbsent(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    RunSpec spec = new RunSpec();
    spec.hypergradient = "fmaml";
    run.saveSpec(spec);
    com.google.gson.JsonObject old =
        com.google.gson.JsonParser.parseString(Files.readString(temp.resolve(RunDirectory.CONFIG)))
            .getAsJsonObject();
    for (String later :
        List.of(
            "method",
            "validateEvery",
            "validationEpisodes",
            "devices",
            "skipBadTasks",
            "evalEpisodes",
            "checkpointEvery")) {
      assertTrue(old.remove(later) != null, later);
    }
    Files.writeString(temp.resolve(RunDirectory.CONFIG), old.toString());
    RunSpec loaded = run.loadSpec();
    assertEquals("fmaml", loaded.method, "the method is the hypergradient it named");
    assertEquals(600, loaded.evalEpisodes);
    assertEquals(0, loaded.checkpointEvery);
  }

  @Test
  void runFilesAreFoundAndDeletedOthersKept(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    assertEquals(List.of(), run.runFiles());
    run.saveSpec(new RunSpec());
    Files.writeString(temp.resolve(Checkpoint.FILE), "x");
    Files.writeString(temp.resolve("notes.txt"), "the user's");
    assertEquals(List.of(RunDirectory.CONFIG, Checkpoint.FILE), run.runFiles());
    run.deleteFiles(RunDirectory.RUN_FILES);
    assertEquals(List.of(), run.runFiles());
    assertTrue(Files.exists(temp.resolve("notes.txt")));
  }

  @Test
  void damagedFilesAreReportedByName(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    IOException missing = assertThrows(IOException.class, run::loadSpec);
    assertTrue(missing.getMessage().contains("not a run directory"), missing.getMessage());
    run.saveSpec(new RunSpec());
    Path config = temp.resolve(RunDirectory.CONFIG);
    Files.writeString(
        config, Files.readString(config).replace("\"innerSteps\": 1", "\"innerSteps\": \"many\""));
    IOException invalid = assertThrows(IOException.class, run::loadSpec);
    assertTrue(
        invalid.getMessage().contains(config + " is not a valid run configuration"),
        invalid.getMessage());
    try (NDManager manager = NDManager.newBaseManager()) {
      run.saveParameters(
          Variables.of(Map.of("w", manager.ones(new ai.djl.ndarray.types.Shape(100)))));
      Path file = temp.resolve(RunDirectory.PARAMETERS);
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      IOException truncated = assertThrows(IOException.class, () -> run.loadParameters(manager));
      assertTrue(truncated.getMessage().contains(RunDirectory.PARAMETERS), truncated.getMessage());
      bytes[bytes.length - 1] ^= 0x01;
      Files.write(file, bytes);
      IOException changed = assertThrows(IOException.class, () -> run.loadParameters(manager));
      assertTrue(
          changed.getMessage().startsWith(file + " is damaged: tensor 'w' does not match"),
          changed.getMessage());
    }
  }

  /** A channel that takes {@code room} bytes and then fails the way a full disk does. */
  private static RunDirectory.ChannelOpener diskWithRoomFor(int room) {
    return temporary -> {
      java.nio.channels.FileChannel file =
          java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE);
      return new java.nio.channels.WritableByteChannel() {
        private int written;

        @Override
        public int write(java.nio.ByteBuffer source) throws IOException {
          if (written + source.remaining() > room) {
            throw new IOException("No space left on device");
          }
          written += source.remaining();
          return file.write(source);
        }

        @Override
        public boolean isOpen() {
          return file.isOpen();
        }

        @Override
        public void close() throws IOException {
          file.close();
        }
      };
    };
  }

  @Test
  void aFullDiskNamesTheFileAndKeepsThePreviousVersion(@TempDir Path temp) throws IOException {
    new RunDirectory(temp).writeFile(Checkpoint.FILE, new byte[] {1, 2, 3});
    RunDirectory full = new RunDirectory(temp, diskWithRoomFor(10));
    IOException error =
        assertThrows(IOException.class, () -> full.writeFile(Checkpoint.FILE, new byte[100]));
    assertTrue(
        error.getMessage().contains(temp.resolve(Checkpoint.FILE).toString())
            && error.getMessage().contains("No space left on device")
            && error.getMessage().contains("the previous version of the file is kept"),
        error.getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(temp.resolve(Checkpoint.FILE)));
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(temp.resolve(Checkpoint.FILE)), files.toList(), "no temporary file");
    }
    IOException fresh =
        assertThrows(IOException.class, () -> full.writeFile("result.json", new byte[100]));
    assertTrue(fresh.getMessage().contains("nothing was written"), fresh.getMessage());
    assertTrue(!Files.exists(temp.resolve("result.json")));
  }

  @Test
  void anUnwritableOutputDirectoryIsNamed(@TempDir Path temp) throws IOException {
    Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
    RunDirectory run = new RunDirectory(file.resolve("run"));
    IOException error = assertThrows(IOException.class, () -> run.saveSpec(new RunSpec()));
    assertTrue(
        error.getMessage().contains(file.resolve("run").resolve(RunDirectory.CONFIG).toString())
            && error.getMessage().contains("is writable"),
        error.getMessage());
    RunDirectory denied =
        new RunDirectory(
            temp,
            temporary -> {
              throw new java.nio.file.AccessDeniedException(temporary.toString());
            });
    IOException readOnly = assertThrows(IOException.class, () -> denied.saveSpec(new RunSpec()));
    assertTrue(
        readOnly.getMessage().contains("AccessDeniedException")
            && readOnly.getMessage().contains(temp.toString()),
        readOnly.getMessage());
  }

  @Test
  void temporaryFilesOfUnfinishedWritesAreDeleted(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    Path left = Files.writeString(temp.resolve(".checkpoint.safetensors123.tmp"), "half");
    Path kept = Files.writeString(temp.resolve("notes.tmp"), "the user's");
    assertEquals(List.of(left), run.deleteTemporaryFiles());
    assertTrue(Files.exists(kept));
  }
}
