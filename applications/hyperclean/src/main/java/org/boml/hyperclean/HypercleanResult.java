package org.boml.hyperclean;

/**
 * What a hyper-cleaning run measured.
 *
 * @param iterations the outer iterations run
 * @param seconds the wall time of the outer iterations
 * @param residentBeforeMiB the process's resident memory just before the outer iterations (MiB; NaN
 *     where Linux's {@code /proc} is not available)
 * @param peakResidentMiB the process's peak resident memory at the end of the outer iterations
 *     (MiB, {@code VmHWM}; NaN without {@code /proc})
 * @param validationLoss the validation loss of the model trained with the learned weights
 * @param testAccuracy the test accuracy of that model
 * @param baselineAccuracy the test accuracy of the model trained on the noisy set unweighted (every
 *     weight 1), with the same dynamics and steps
 * @param initialAccuracy the test accuracy with the initial weights (all 1/2), before any outer
 *     step
 * @param oracleAccuracy the test accuracy with weight 1 on the clean and 0 on the corrupted
 *     examples
 * @param detection "weight &lt; 0.5" as a detector of the corrupted examples
 * @param chanceF1 the F1 a detector ignoring the data reaches ({@link Detection#chanceF1(double)})
 * @param meanWeightClean the mean learned weight of the clean examples
 * @param meanWeightCorrupted the mean learned weight of the corrupted examples
 */
public record HypercleanResult(
    int iterations,
    double seconds,
    double residentBeforeMiB,
    double peakResidentMiB,
    double validationLoss,
    double testAccuracy,
    double baselineAccuracy,
    double initialAccuracy,
    double oracleAccuracy,
    Detection detection,
    double chanceF1,
    double meanWeightClean,
    double meanWeightCorrupted) {}
