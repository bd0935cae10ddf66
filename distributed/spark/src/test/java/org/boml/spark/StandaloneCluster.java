package org.boml.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: a master and workers, each a child JVM started
 * with this JVM's class path (Spark's jars) and module path, running Spark's own main classes.
 * Closing it kills the workers' executors, the workers and the master, also after a failed start.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 120_000;

  private final Path dir;
  private final Path sparkHome;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private String masterUrl;

  private StandaloneCluster(Path dir) throws IOException {
    this.dir = dir;
    // Workers build executor class paths from SPARK_HOME/jars; everything executors need comes
    // from spark.executor.extraClassPath, so an empty one does.
    this.sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Files.createDirectories(sparkHome.resolve("jars"));
  }

  /**
   * Starts a master and workers of one core each, and waits until every worker has registered.
   *
   * @param dir where logs and the workers' folders go
   * @param workers how many workers
   * @param workerMemory memory each worker offers to executors, e.g. {@code 1536m}
   * @return the running cluster
   */
  static StandaloneCluster start(Path dir, int workers, String workerMemory)
      throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(dir);
    try {
      int port = freePort();
      Path master =
          cluster.launch(
              "master",
              "org.apache.spark.deploy.master.Master",
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(port),
              "--webui-port",
              Integer.toString(freePort()));
      cluster.awaitLine(master, "I have been elected leader");
      cluster.masterUrl = "spark://127.0.0.1:" + port;
      List<Path> workerLogs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        workerLogs.add(
            cluster.launch(
                "worker-" + i,
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--cores",
                "1",
                "--memory",
                workerMemory,
                "--webui-port",
                Integer.toString(freePort()),
                "--work-dir",
                Files.createDirectories(dir.resolve("work-" + i)).toString(),
                cluster.masterUrl));
      }
      for (Path log : workerLogs) {
        cluster.awaitLine(log, "Successfully registered with master");
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  String masterUrl() {
    return masterUrl;
  }

  /** The last lines of every log, executors' included, for failure messages. */
  String logs() {
    StringBuilder text = new StringBuilder();
    List<Path> all = new ArrayList<>(logs);
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(p -> p.getFileName().toString().equals("stderr")).forEach(all::add);
    } catch (IOException | UncheckedIOException e) {
      text.append("(cannot list executor logs: ").append(e.getMessage()).append(")\n");
    }
    for (Path log : all) {
      text.append("==> ").append(log).append('\n').append(tail(log, 30)).append('\n');
    }
    return text.toString();
  }

  private Path launch(String name, String mainClass, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    // The module path too: the logging libraries Spark shares with BOML are there.
    command.addAll(ExecutorJvm.options());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(arguments));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
    processes.add(builder.start());
    logs.add(log);
    return log;
  }

  private void awaitLine(Path log, String line) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line)) {
        return;
      }
      if (processes.stream().anyMatch(p -> !p.isAlive())) {
        throw new IllegalStateException("a cluster process died:\n" + logs());
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "no '" + line + "' in " + log + " after " + START_TIMEOUT_MS + " ms:\n" + logs());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills executors first (children of the workers), then workers and master, newest first. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
