/**
 * Data hyper-cleaning (Franceschi et al., ICML 2017) on Fashion-MNIST, written on the runtime's
 * generic bilevel API rather than as meta-learning over tasks. {@link HypercleanData} corrupts a
 * seeded fraction of the training labels; {@link HypercleanProblem} is softmax regression whose
 * per-example loss weights {@code sigmoid(lambda_i)} are the hyperparameters, as a {@link
 * org.boml.runtime.problem.Bilevel}; {@link Hypercleaning} learns them with {@link
 * org.boml.runtime.train.HyperparameterOptimizer} and compares the result with the unweighted
 * baseline and the oracle ({@link HypercleanResult}, {@link Detection}). {@link HypercleanCommand}
 * adds it to the command line as {@code boml hyperclean}.
 */
package org.boml.hyperclean;
