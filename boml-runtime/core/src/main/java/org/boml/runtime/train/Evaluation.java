package org.boml.runtime.train;

/**
 * The result of evaluating meta-parameters on held-out tasks.
 *
 * @param metric what was measured: {@code mse} or {@code accuracy}
 * @param beforeAdaptation the metric at {@code y_0 = Psi_0(x)}
 * @param afterAdaptation the metric at {@code y_T}, after the lower-level dynamics
 */
public record Evaluation(String metric, Statistic beforeAdaptation, Statistic afterAdaptation) {}
