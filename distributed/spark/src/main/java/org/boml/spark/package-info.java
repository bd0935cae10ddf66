/**
 * Meta-training on Apache Spark, with its own command {@code boml-spark} ({@link
 * SparkTrainCommand}). The driver's {@link SparkMetaTrainer} keeps the meta-parameters and the
 * outer optimizer in a {@link org.boml.runtime.train.MetaLearner} and broadcasts them every
 * iteration; executors solve contiguous ranges of the meta-batch ({@link TaskRanges}, {@link
 * ExecutorLearners}) with the seeds of a single-process run, and their partial sums come back by
 * tree aggregation. Executors start with the driver's module path and JVM options ({@link
 * ExecutorJvm}). The package has no module descriptor: Spark is not modular, so this code runs on
 * the class path while BOML's modules stay on the module path.
 */
package org.boml.spark;
