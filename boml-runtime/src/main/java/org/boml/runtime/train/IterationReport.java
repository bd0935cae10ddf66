package org.boml.runtime.train;

/**
 * What one meta-iteration measured.
 *
 * @param iteration the iteration just finished, 1-based
 * @param iterations the total planned
 * @param upperObjective the mean upper-level objective over the meta-batch, before the update
 * @param hypergradientNorm the Euclidean norm of the mean hypergradient, before clipping
 * @param learningRate the outer learning rate used
 * @param seconds the wall-clock seconds since training started
 */
public record IterationReport(
    int iteration,
    int iterations,
    double upperObjective,
    double hypergradientNorm,
    double learningRate,
    double seconds) {}
