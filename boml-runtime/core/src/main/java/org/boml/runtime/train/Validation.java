package org.boml.runtime.train;

/**
 * The meta-parameters measured on tasks of the validation split, after adaptation.
 *
 * @param loss the mean upper-level objective (the loss on the tasks' validation examples) at {@code
 *     y_T}
 * @param accuracy for classification, the mean accuracy at {@code y_T}; {@code NaN} for regression
 * @param episodes the number of tasks measured
 */
public record Validation(double loss, double accuracy, int episodes) {}
