package org.boml.runtime.train;

/**
 * What one meta-iteration measured.
 *
 * @param iteration the iteration just finished, 1-based
 * @param iterations the total planned
 * @param upperObjective the mean upper-level objective (meta-loss) over the meta-batch, before the
 *     update
 * @param accuracy for classification, the mean over the meta-batch of the adapted models' accuracy
 *     on the tasks' validation (query) examples, measured on the predictions the upper objective
 *     was computed from; {@code NaN} for regression, where the meta-loss is the metric
 * @param hypergradientNorm the Euclidean norm of the mean hypergradient, before clipping
 * @param learningRate the outer learning rate used
 * @param seconds the wall-clock seconds since training started
 * @param validation the measurement on validation tasks at this iteration, or {@code null} when
 *     none was made (see {@link PeriodicValidation})
 * @param hypergradient the hypergradient itself, before clipping, as plain Java arrays that outlive
 *     the iteration's native memory: {@link HyperparameterOptimizer} reports it; {@code null} where
 *     it is not recorded (the meta-training loop, whose meta-parameters can be millions)
 */
public record IterationReport(
    int iteration,
    int iterations,
    double upperObjective,
    double accuracy,
    double hypergradientNorm,
    double learningRate,
    double seconds,
    Validation validation,
    PlainVariables hypergradient) {

  /**
   * A report without the hypergradient itself.
   *
   * @param iteration the iteration just finished, 1-based
   * @param iterations the total planned
   * @param upperObjective the mean upper-level objective
   * @param accuracy the mean accuracy, or {@code NaN}
   * @param hypergradientNorm the norm of the mean hypergradient
   * @param learningRate the outer learning rate used
   * @param seconds the wall-clock seconds since training started
   * @param validation the validation measurement, or {@code null}
   */
  public IterationReport(
      int iteration,
      int iterations,
      double upperObjective,
      double accuracy,
      double hypergradientNorm,
      double learningRate,
      double seconds,
      Validation validation) {
    this(
        iteration,
        iterations,
        upperObjective,
        accuracy,
        hypergradientNorm,
        learningRate,
        seconds,
        validation,
        null);
  }

  /**
   * The same report with a validation measurement.
   *
   * @param measured what the validation tasks measured
   * @return the new report
   */
  public IterationReport withValidation(Validation measured) {
    return new IterationReport(
        iteration,
        iterations,
        upperObjective,
        accuracy,
        hypergradientNorm,
        learningRate,
        seconds,
        measured,
        hypergradient);
  }

  /**
   * The same report with another planned total, for a run trained in chunks.
   *
   * @param total the total planned
   * @return the new report
   */
  public IterationReport withIterations(int total) {
    return new IterationReport(
        iteration,
        total,
        upperObjective,
        accuracy,
        hypergradientNorm,
        learningRate,
        seconds,
        validation,
        hypergradient);
  }
}
