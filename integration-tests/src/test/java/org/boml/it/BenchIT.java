package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code boml bench} through the command line on the real Omniglot data: one short second-order
 * configuration in-process, checking that the report is complete and consistent, with the host's
 * CPU model and matmul ceiling (this is not a timing test: the figures are only checked for sense,
 * never against a speed).
 */
class BenchIT {
  @Test
  void reportsTimingFlopsAndMemoryOfTheReferenceWorkload() {
    CliResult result =
        bench("--configs", "so-T1", "--iterations", "2", "--threads", "1", "--in-process");
    assertEquals(0, result.exitCode(), result.toString());
    JsonElement parsed = JsonParser.parseString(result.stdout());
    JsonObject run =
        parsed.isJsonArray()
            ? parsed.getAsJsonArray().get(0).getAsJsonObject()
            : firstResult(parsed.getAsJsonObject());
    JsonObject timing = run.getAsJsonObject("timing");
    assertEquals(2, timing.get("n").getAsInt(), run::toString);
    double median = timing.get("median_s").getAsDouble();
    assertTrue(median > 0 && Double.isFinite(median), run::toString);
    assertTrue(timing.get("p10_s").getAsDouble() <= median, run::toString);
    assertTrue(timing.get("p90_s").getAsDouble() >= median, run::toString);
    double flops = run.get("analytic_flops").getAsDouble();
    double achieved = run.get("gflops_per_s_analytic").getAsDouble();
    assertEquals(flops / median / 1e9, achieved, 1e-9);
    double ceiling = run.get("matmul_ceiling_gflops_per_s").getAsDouble();
    assertTrue(ceiling > 0 && Double.isFinite(ceiling), run::toString);
    assertEquals(achieved / ceiling, run.get("fraction_of_ceiling").getAsDouble(), 1e-12);
    double before = run.get("rss_before_mb").getAsDouble();
    assertTrue(before > 0 && before <= run.get("peak_rss_mb").getAsDouble(), run::toString);
    assertTrue(Double.isFinite(run.get("final_meta_loss").getAsDouble()), run::toString);
    JsonObject machine = parsed.getAsJsonObject().getAsJsonObject("machine");
    assertTrue(
        machine.get("cpu").getAsString().matches(".+ \\(family \\d+, model \\d+\\)"),
        machine::toString);
    // one worker on one intra-op thread: no upper pass widens, so NNPACK stays on unless
    // libtorch's NNPACK refuses the CPU
    assertEquals("one-at-a-time", run.get("upper_passes").getAsString(), run::toString);
    String convolutions = machine.get("convolutions").getAsString();
    String kernels = "native (the default, the most accurate)";
    assertTrue(
        convolutions.equals(kernels)
            || convolutions.equals(kernels + ", without NNPACK (not supported on this CPU)"),
        convolutions);
  }

  /**
   * Several configurations run in child JVMs, each worker on one intra-op thread and every worker
   * computing its own upper pass: the machine's description of the convolution kernels is the one
   * each child computed with (the parent once described its own default of several threads,
   * "without NNPACK", for runs that used NNPACK).
   */
  @Test
  void theMachinesConvolutionKernelsAreTheOnesEveryConfigurationRanWith() {
    JsonObject report = benchOnTwoWorkers("concurrent");
    String machine = report.getAsJsonObject("machine").get("convolutions").getAsString();
    assertFalse(machine.contains("more than one intra-op thread"), machine);
  }

  /**
   * By default the workers' upper passes run one at a time, the worker inside widening to both
   * workers' threads, so NNPACK (whose thread pool would not widen) is off unless libtorch's NNPACK
   * refuses the CPU anyway.
   */
  @Test
  void upperPassesOneAtATimeWidenAndTakeNnpackOff() {
    JsonObject report = benchOnTwoWorkers(null);
    assertEquals("one-at-a-time", report.get("upper_passes").getAsString(), report::toString);
    String machine = report.getAsJsonObject("machine").get("convolutions").getAsString();
    String kernels = "native (the default, the most accurate), without NNPACK ";
    assertTrue(
        machine.equals(kernels + "(workers widen to more than one intra-op thread)")
            || machine.equals(kernels + "(not supported on this CPU)"),
        machine);
  }

  /**
   * Two configurations in child JVMs on two workers of one intra-op thread each, with the given
   * schedule of upper passes or the default; checks that each child reports the machine's kernels.
   */
  private static JsonObject benchOnTwoWorkers(String upperPasses) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--configs",
                "so-T1,so-T5",
                "--iterations",
                "1",
                "--threads",
                "2",
                "--workers",
                "2"));
    if (upperPasses != null) {
      options.addAll(List.of("--upper-passes", upperPasses));
    }
    CliResult result = bench(options.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.toString());
    JsonObject report = JsonParser.parseString(result.stdout()).getAsJsonObject();
    String machine = report.getAsJsonObject("machine").get("convolutions").getAsString();
    assertEquals(2, report.getAsJsonArray("results").size(), result::stdout);
    for (JsonElement element : report.getAsJsonArray("results")) {
      JsonObject run = element.getAsJsonObject();
      assertEquals(1, run.get("intra_op_threads").getAsInt(), run::toString);
      assertEquals(machine, run.get("convolutions").getAsString(), run::toString);
      assertEquals(
          upperPasses == null ? "one-at-a-time" : upperPasses,
          run.get("upper_passes").getAsString(),
          run::toString);
    }
    return report;
  }

  /** {@code boml bench} on the real Omniglot data with one warm-up iteration, as JSON. */
  private static CliResult bench(String... options) {
    List<String> arguments = new ArrayList<>(List.of("bench", "--warmup", "1"));
    arguments.addAll(List.of(options));
    arguments.addAll(List.of("--data-dir", OmniglotTrainingIT.omniglot().toString(), "--json"));
    return BomlCli.run(arguments.toArray(String[]::new));
  }

  /** The first configuration's result in a JSON object that holds them under some key. */
  private static JsonObject firstResult(JsonObject report) {
    for (var entry : report.entrySet()) {
      if (entry.getValue().isJsonArray()) {
        return entry.getValue().getAsJsonArray().get(0).getAsJsonObject();
      }
      if (entry.getValue().isJsonObject() && entry.getValue().getAsJsonObject().has("timing")) {
        return entry.getValue().getAsJsonObject();
      }
    }
    return report;
  }
}
