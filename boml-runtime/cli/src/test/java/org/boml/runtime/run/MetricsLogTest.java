package org.boml.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lines of metrics.jsonl: what they hold, and how a resumed run rewrites the log. */
class MetricsLogTest {
  private static IterationReport report(int iteration, double accuracy, Validation validation) {
    return new IterationReport(
        iteration, 3, 1.25 / iteration, accuracy, 0.5, 1e-3, iteration, validation);
  }

  @Test
  void linesHoldTrainAndValidationMeasurementsWhereMade(@TempDir Path temp) throws IOException {
    RunDirectory run = new RunDirectory(temp);
    try (MetricsLog log = MetricsLog.open(run, 0)) {
      log.append(report(1, 0.4, null));
      log.append(report(2, 0.5, new Validation(0.9, 0.45, 10)));
      log.append(report(3, Double.NaN, new Validation(Double.POSITIVE_INFINITY, Double.NaN, 10)));
    }
    List<String> text = Files.readAllLines(temp.resolve(MetricsLog.FILE));
    assertEquals(
        "{\"iteration\":1,\"trainLoss\":1.25,\"trainAccuracy\":0.4,\"hypergradientNorm\":0.5,"
            + "\"learningRate\":0.001,\"seconds\":1.0}",
        text.get(0));
    assertEquals(
        "{\"iteration\":3,\"trainLoss\":0.4166666666666667,\"validationLoss\":null,"
            + "\"hypergradientNorm\":0.5,\"learningRate\":0.001,\"seconds\":3.0}",
        text.get(2),
        "regression has no accuracy; a loss that is not finite is null");
    List<Map<String, Double>> lines = MetricsLog.read(temp);
    assertEquals(
        Map.of(
            "iteration", 2.0,
            "trainLoss", 0.625,
            "trainAccuracy", 0.5,
            "validationLoss", 0.9,
            "validationAccuracy", 0.45,
            "hypergradientNorm", 0.5,
            "learningRate", 1e-3,
            "seconds", 2.0),
        lines.get(1));
    assertTrue(!lines.get(2).containsKey("validationLoss"), "null is not a number");
  }

  @Test
  void everyNumberThatIsNotFiniteIsNull(@TempDir Path temp) throws IOException {
    try (MetricsLog log = MetricsLog.open(new RunDirectory(temp), 0)) {
      log.append(
          new IterationReport(
              1, 3, Double.NaN, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-3, 1, null));
    }
    assertEquals(
        "{\"iteration\":1,\"trainLoss\":null,\"trainAccuracy\":null,\"hypergradientNorm\":null,"
            + "\"learningRate\":0.001,\"seconds\":1.0}",
        Files.readString(temp.resolve(MetricsLog.FILE)).strip());
  }

  @Test
  void resumingDropsLinesAfterTheCheckpointAndReadSkipsATornLine(@TempDir Path temp)
      throws IOException {
    Files.writeString(
        temp.resolve(MetricsLog.FILE),
        "{\"iteration\":1,\"upperObjective\":2.0}\n{\"iteration\":2,\"trainLoss\":1.0}\n"
            + "{\"iteration\":3,\"trainLoss\":0.5}\n{\"iteration\":4,\"tra");
    assertEquals(3, MetricsLog.read(temp).size(), "the torn line is skipped");
    assertEquals(2.0, MetricsLog.read(temp).get(0).get("trainLoss"), "the key of older runs");
    MetricsLog.open(new RunDirectory(temp), 2).close();
    assertEquals(2, MetricsLog.read(temp).size());
  }
}
