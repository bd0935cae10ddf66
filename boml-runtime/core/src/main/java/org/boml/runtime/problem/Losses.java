package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import org.boml.api.TaskKind;

/**
 * The loss and the metric of a {@link TaskKind}, as graph-safe array expressions (no {@code Number}
 * overloads).
 */
public final class Losses {
  private Losses() {}

  /**
   * The differentiable training loss.
   *
   * @param kind the task kind
   * @param predictions the model's outputs, {@code (N, outputs)}
   * @param targets the targets
   * @return a scalar
   */
  public static NDArray loss(TaskKind kind, NDArray predictions, NDArray targets) {
    return switch (kind) {
      case REGRESSION -> predictions.sub(targets.reshape(predictions.getShape())).square().mean();
      case CLASSIFICATION ->
          predictions.logSoftmax(1).gather(targets.reshape(-1, 1), 1).mean().neg();
    };
  }

  /**
   * The evaluation metric: the mean squared error for regression, the accuracy for classification.
   *
   * @param kind the task kind
   * @param predictions the model's outputs
   * @param targets the targets
   * @return the metric's value
   */
  public static double metric(TaskKind kind, NDArray predictions, NDArray targets) {
    return switch (kind) {
      case REGRESSION ->
          loss(kind, predictions, targets)
              .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
              .getDouble();
      case CLASSIFICATION ->
          predictions
              .argMax(1)
              .eq(targets.reshape(-1).toType(ai.djl.ndarray.types.DataType.INT64, false))
              .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
              .mean()
              .getDouble();
    };
  }

  /**
   * The name of the metric, for reports.
   *
   * @param kind the task kind
   * @return "mse" or "accuracy"
   */
  public static String metricName(TaskKind kind) {
    return kind == TaskKind.REGRESSION ? "mse" : "accuracy";
  }
}
