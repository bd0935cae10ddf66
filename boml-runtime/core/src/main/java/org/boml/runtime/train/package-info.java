/**
 * The outer loops. {@link MetaLearner} meta-trains over a dataset's tasks: a loop of a few hundred
 * lines whose parts are small objects, each with one job: {@link TaskRunner} runs one task in its
 * own memory scope (on device-bound worker threads, {@link TaskWorkers}), {@link MetaBatchMean}
 * sums the tasks in task order (so the result does not depend on their number), {@link
 * BadTaskPolicy} decides what a non-finite meta-batch does, {@link LearningRateSchedule} gives each
 * iteration's outer learning rate, {@link HeldOutTasks} evaluates and validates, and {@link
 * StepMemoryProbe} measures an inner step's memory. {@link HyperparameterOptimizer} runs the same
 * outer step on one problem of the user's ({@link org.boml.runtime.problem.Bilevel}); both apply
 * hypergradients with an {@link OuterOptimizer} (SGD, momentum or Adam). Both are configured by
 * builders that share {@link OuterLoopBuilder}: the numeric settings are one immutable, validated
 * {@link TrainingConfig} (its checks, {@link Ranges}, are also the command line's), and the
 * dynamics and hypergradient are resolved in one place into a {@link Method}. Around them are the
 * reports of iterations and evaluations ({@link IterationReport}, {@link Validation}, {@link
 * Evaluation}, {@link Statistic}), the listener that validates periodically ({@link
 * PeriodicValidation}), the per-task seeds ({@link Seeds}) and the plain-Java partial sums that
 * distributed workers exchange ({@link TaskSum}, {@link PlainVariables}). The hypergradients
 * themselves come from the configured plugins' modules, not from this package.
 */
package org.boml.runtime.train;
