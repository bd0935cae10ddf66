/**
 * The outer loops. {@link MetaLearner} meta-trains over a dataset's tasks (each meta-batch solved
 * on device-bound worker threads, {@link TaskWorkers}, and summed in task order, so the result does
 * not depend on their number) and evaluates on held-out tasks; {@link HyperparameterOptimizer} runs
 * the same outer step on one problem of the user's ({@link org.boml.runtime.problem.Bilevel}); both
 * apply hypergradients with an {@link OuterOptimizer} (SGD, momentum or Adam). Around them are the
 * reports of iterations and evaluations ({@link IterationReport}, {@link Validation}, {@link
 * Evaluation}, {@link Statistic}), the per-task seeds ({@link Seeds}) and the plain-Java partial
 * sums that distributed workers exchange ({@link TaskSum}, {@link PlainVariables}). The
 * hypergradients themselves come from the configured plugins' modules, not from this package.
 */
package org.boml.runtime.train;
