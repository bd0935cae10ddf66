package org.boml.runtime.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.boml.runtime.run.JsonOutput;
import org.boml.runtime.run.RunDirectory;
import org.boml.runtime.run.RunSpec;
import org.boml.runtime.train.Evaluation;
import org.boml.runtime.train.Statistic;

/** Prints an evaluation as text or JSON and saves it in the run directory. */
final class Reports {
  private Reports() {}

  static void print(Evaluation evaluation, RunSpec spec, boolean json, RunDirectory run)
      throws IOException {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("dataset", spec.dataset);
    document.put("method", spec.method);
    document.put("hypergradient", spec.hypergradient);
    document.put("dynamics", spec.dynamics);
    document.put("innerSteps", spec.innerSteps);
    document.put("iterations", spec.iterations);
    document.put("seed", spec.seed);
    document.put("metric", evaluation.metric());
    document.put("episodes", evaluation.afterAdaptation().count());
    document.put("before", statistic(evaluation.beforeAdaptation()));
    document.put("after", statistic(evaluation.afterAdaptation()));
    if (run != null) {
      run.saveJson(RunDirectory.RESULT, document);
    }
    if (json) {
      System.out.println(JsonOutput.pretty(document));
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "meta-test %s over %d held-out tasks:%n",
        evaluation.metric(),
        evaluation.afterAdaptation().count());
    System.out.println("  before adaptation: " + text(evaluation.beforeAdaptation()));
    System.out.println("  after adaptation:  " + text(evaluation.afterAdaptation()));
  }

  /** The mean with its 95% interval, which one episode does not have. */
  private static String text(Statistic statistic) {
    return Double.isFinite(statistic.ci95())
        ? String.format(Locale.ROOT, "%.4f +- %.4f (95%% CI)", statistic.mean(), statistic.ci95())
        : String.format(Locale.ROOT, "%.4f (no 95%% CI from one episode)", statistic.mean());
  }

  private static Map<String, Double> statistic(Statistic statistic) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("mean", statistic.mean());
    values.put("ci95", statistic.ci95());
    return values;
  }
}
