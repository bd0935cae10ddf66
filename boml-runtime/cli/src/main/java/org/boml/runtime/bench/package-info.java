/**
 * The benchmark behind {@code boml bench}: the reference workload of the PyTorch peer (second- and
 * first-order MAML on Omniglot 5-way 1-shot with Conv-4) and the horizon sweep of the reverse-mode
 * hypergradients, timed per meta-iteration, with the workload's analytic FLOP count and the
 * process's peak resident memory.
 */
package org.boml.runtime.bench;
