package org.boml.spark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * Starts executors the way this driver JVM was started: BOML's modules on the same module path, the
 * same class path (Spark, this module, the native libtorch jar), the same --add-opens flags Spark
 * needs on Java 17. So executors on this machine, or on machines with the same files at the same
 * paths, need nothing installed; settings given explicitly win.
 */
final class ExecutorJvm {
  /** libtorch's intra-op thread count, read once when the engine starts. */
  static final String INTRA_OP = "ai.djl.pytorch.num_threads";

  private ExecutorJvm() {}

  static void configure(SparkConf conf) {
    conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    conf.setIfMissing("spark.executor.extraJavaOptions", String.join(" ", options()));
  }

  /** The options of executors: offline DJL, the module path and the driver's module flags. */
  static List<String> options() {
    List<String> options = new ArrayList<>();
    options.add("-Dai.djl.offline=true");
    options.add("-D" + INTRA_OP + "=1");
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null) {
      options.add("--module-path");
      options.add(modulePath);
      options.add("--add-modules");
      options.add("ALL-MODULE-PATH");
    }
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens")
          || argument.startsWith("--add-exports")
          || argument.startsWith("-Dio.netty.tryReflectionSetAccessible")
          || argument.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
        options.add(argument);
      }
    }
    return options;
  }
}
