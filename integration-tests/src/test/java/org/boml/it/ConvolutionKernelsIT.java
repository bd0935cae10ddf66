package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The float32 convolution kernels as a user sees them: {@code boml --version} reports the kernels
 * in use and why (libtorch's native ones by default), {@code BOML_CONVOLUTION} picks others (with
 * {@code auto}, oneDNN where it passes the self-check), and a bad value is refused with the valid
 * ones.
 */
class ConvolutionKernelsIT {
  @Test
  void versionReportsTheNativeKernelsByDefault() {
    CliResult result = BomlCli.run("--version");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(
        result.stdout().contains("float32 convolutions: native (the default, the most accurate)"),
        result.toString());
  }

  /**
   * With more than one libtorch intra-op thread the native kernels run without NNPACK, and {@code
   * --version} says so; with one they keep it, except where libtorch's NNPACK does not support the
   * CPU, which {@code --version} then names as the reason whatever the threads. ({@code
   * JDK_JAVA_OPTIONS} reaches the JVM that the test starts; DJL reads the thread count from the
   * system property.)
   */
  @Test
  void versionReportsNnpackOffForSeveralIntraOpThreadsOrAnUnsupportedCpu() {
    String line = "float32 convolutions: native (the default, the most accurate)";
    String unsupported = line + ", without NNPACK (not supported on this CPU)";
    CliResult one = BomlCli.run(threads(1), "--version");
    assertEquals(0, one.exitCode(), one.toString());
    CliResult two = BomlCli.run(threads(2), "--version");
    assertEquals(0, two.exitCode(), two.toString());
    if (one.stdout().contains(unsupported)) {
      assertTrue(two.stdout().contains(unsupported), two.toString());
    } else {
      assertTrue(one.stdout().contains(line), one.toString());
      assertFalse(one.stdout().contains("NNPACK"), one.toString());
      assertTrue(
          two.stdout().contains(line + ", without NNPACK (more than one intra-op thread)"),
          two.toString());
    }
  }

  private static Map<String, String> threads(int intraOpThreads) {
    return Map.of("JDK_JAVA_OPTIONS", "-Dai.djl.pytorch.num_threads=" + intraOpThreads);
  }

  @Test
  void autoKeepsOneDnnOnlyWhereItPassesTheSelfCheck() {
    CliResult result = BomlCli.run(Map.of("BOML_CONVOLUTION", "auto"), "--version");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(
        result.stdout().contains("float32 convolutions: oneDNN (matches float64 in the self-check)")
            || result
                .stdout()
                .contains("float32 convolutions: native (oneDNN failed the self-check: "),
        result.toString());
  }

  @Test
  void theEnvironmentRequestsTheNativeKernels() {
    CliResult result = BomlCli.run(Map.of("BOML_CONVOLUTION", "native"), "--version");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(
        result
            .stdout()
            .contains("float32 convolutions: native (requested with BOML_CONVOLUTION=native)"),
        result.toString());
  }

  @Test
  void anUnknownValueIsRefusedWithTheValidOnes() {
    CliResult result = BomlCli.run(Map.of("BOML_CONVOLUTION", "fast"), "--version");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(
        result
            .stderr()
            .contains(
                "BOML_CONVOLUTION is 'fast'; use native (the default: libtorch's native kernels),"
                    + " auto (oneDNN where it passes a check against float64) or onednn"),
        result.toString());
  }
}
